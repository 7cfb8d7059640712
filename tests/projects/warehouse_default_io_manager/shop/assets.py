import dagster as dg

import pandas as pd


# Quiet: the default I/O manager (bound in `definitions.py`) records metadata for every value.
@dg.asset
def orders() -> pd.DataFrame:
    return pd.read_parquet("s3://shop/orders.parquet")


@dg.asset
def daily_revenue(orders: pd.DataFrame) -> pd.DataFrame:
    return orders.groupby("day", as_index=False)["amount"].sum()
