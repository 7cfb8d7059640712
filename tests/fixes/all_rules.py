"""Every fixable rule in one module: the fixes share one import, and two that overlap (a kind
added to an `AssetOut` whose policy is rewritten) are applied one after the other."""

from dagster import AssetOut, OpExecutionContext, SourceAsset, asset, multi_asset
from dagster import AutoMaterializePolicy

raw_orders = SourceAsset("raw_orders")


@asset(
    non_argument_deps={"raw_orders"},
    compute_kind="pandas",
    auto_materialize_policy=AutoMaterializePolicy.eager(),
)
def orders(context: OpExecutionContext):
    return 1


@multi_asset(
    outs={
        "a": AssetOut(auto_materialize_policy=AutoMaterializePolicy.lazy()),
        "b": AssetOut(),
    },
    compute_kind="python",
)
def a_and_b(context: OpExecutionContext):
    return 2, 3
