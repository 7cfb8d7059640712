"""DAG801 with `from dagster import ...` and an alias of the decorator."""

from dagster import AssetKey, AssetOut, multi_asset
from dagster import asset as a


@a(deps={"raw_orders"})
def orders():
    return 1


@a(deps={AssetKey(["staging", "payments"])}, group_name="finance")
def payments():
    return 2


@multi_asset(outs={"daily": AssetOut()}, deps={"orders"})
async def daily():
    return 3
