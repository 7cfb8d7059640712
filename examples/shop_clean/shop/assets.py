import dagster as dg
import pandas as pd

from shop.resources import ShopApiResource, WarehouseResource

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="Europe/Berlin")


class ShopApiError(Exception):
    """The shop API answered with an error."""


@dg.asset(partitions_def=daily, kinds={"python"})
def raw_orders(context: dg.AssetExecutionContext, shop_api: ShopApiResource) -> pd.DataFrame:
    """Orders placed on the partition's day, as returned by the shop API."""
    try:
        rows = shop_api.get("orders", day=context.partition_key)
    except ShopApiError as err:
        raise dg.RetryRequested(max_retries=3, seconds_to_wait=60) from err
    context.log.info(f"fetched {len(rows)} orders for {context.partition_key}")
    return pd.DataFrame(rows)


@dg.asset(deps=["raw_orders"])
def customers(warehouse: WarehouseResource) -> pd.DataFrame:
    """Customers known to the warehouse."""
    return pd.read_sql("select * from customers", warehouse.connect())


@dg.asset
def order_summary(raw_orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Revenue per customer, with the customer's name."""
    revenue = raw_orders.groupby("customer_id", as_index=False)["amount"].sum()
    return revenue.merge(customers, on="customer_id")


@dg.asset_check(asset=order_summary)
def summary_has_rows(order_summary: pd.DataFrame) -> dg.AssetCheckResult:
    """The summary is never empty after a nightly run."""
    return dg.AssetCheckResult(passed=len(order_summary) > 0, metadata={"rows": len(order_summary)})


@dg.asset_check(asset=customers)
def customers_have_ids(customers: pd.DataFrame) -> dg.AssetCheckResult:
    """Every customer has an id, so that the summary's join finds them."""
    missing = int(customers["customer_id"].isna().sum())
    return dg.AssetCheckResult(passed=missing == 0, metadata={"missing_ids": missing})


@dg.asset_check(asset=raw_orders)
def raw_orders_have_amounts(raw_orders: pd.DataFrame) -> dg.AssetCheckResult:
    """Every order of the day has an amount, so that revenue adds up."""
    missing = int(raw_orders["amount"].isna().sum())
    return dg.AssetCheckResult(passed=missing == 0, metadata={"missing_amounts": missing})
