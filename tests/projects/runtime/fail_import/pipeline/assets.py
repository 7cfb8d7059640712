import dagster as dg
import pandas_that_is_not_installed  # DAG001


@dg.asset
def orders() -> None:
    pandas_that_is_not_installed.read_csv("orders.csv")
