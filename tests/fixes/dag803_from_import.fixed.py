"""DAG803 with `from dagster import OpExecutionContext`: the import is extended, then trimmed."""

from dagster import (
    AssetExecutionContext,
    AssetOut,
    asset,
    multi_asset,
)


@asset
def orders(context: AssetExecutionContext):
    context.log.info("loading orders")
    return 1


@asset()
async def payments(context: AssetExecutionContext) -> int:
    return 2


@multi_asset(outs={"a": AssetOut(), "b": AssetOut()})
def split(
    context: AssetExecutionContext,  # the context Dagster passes
):
    return 1, 2
