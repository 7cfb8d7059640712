"""Every fixable rule in one module: the fixes share one import, and two that overlap (a kind
added to an `AssetOut` whose policy is rewritten) are applied one after the other."""

from dagster import AssetExecutionContext, AssetOut, AssetSpec, asset, multi_asset
from dagster import AutomationCondition

raw_orders = AssetSpec("raw_orders")


@asset(
    deps={"raw_orders"},
    kinds={"pandas"},
    automation_condition=AutomationCondition.eager(),
)
def orders(context: AssetExecutionContext):
    return 1


@multi_asset(
    outs={
        "a": AssetOut(automation_condition=AutomationCondition.any_downstream_conditions(), kinds={"python"}),
        "b": AssetOut(kinds={"python"}),
    },
)
def a_and_b(context: AssetExecutionContext):
    return 2, 3
