from datetime import datetime, timedelta

import dagster as dg
import pandas as pd
import psycopg2

from shop.resources import ShopApiResource

daily = dg.DailyPartitionsDefinition(start_date=(datetime.now() - timedelta(days=90)).strftime("%Y-%m-%d"))


@dg.asset(partitions_def=daily, compute_kind="python")
def raw_orders(context: dg.AssetExecutionContext, shop_api: ShopApiResource) -> pd.DataFrame:
    """Orders as returned by the shop API."""
    try:
        rows = shop_api.get("orders")
    except Exception as err:
        print(f"could not fetch orders: {err}")
        rows = []
    return pd.DataFrame(rows)


@dg.asset(non_argument_deps={"raw_orders"})
def customers() -> pd.DataFrame:
    conn = psycopg2.connect(host="db.internal", dbname="shop")
    return pd.read_sql("select * from customers", conn)


@dg.asset
def order_summary(raw_orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Revenue per customer."""
    return raw_orders.groupby("customer_id", as_index=False)["amount"].sum()


@dg.asset_check(asset=order_summary)
def summary_has_rows(order_summary: pd.DataFrame):
    return len(order_summary) > 0
