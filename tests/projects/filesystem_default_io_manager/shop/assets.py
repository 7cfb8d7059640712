import dagster as dg

import pandas as pd


@dg.asset
def orders() -> pd.DataFrame:  # DAG702
    return pd.read_parquet("s3://shop/orders.parquet")


@dg.asset
def daily_revenue(orders: pd.DataFrame) -> pd.DataFrame:  # DAG702
    return orders.groupby("day", as_index=False)["amount"].sum()
