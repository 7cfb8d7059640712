"""DAG804 with `import dagster as dg`: policies become automation conditions."""

import dagster as dg


@dg.asset(automation_condition=dg.AutomationCondition.eager())
def orders():
    return 1


@dg.asset(
    group_name="finance",
    automation_condition=dg.AutomationCondition.any_downstream_conditions(),  # only when downstream needs it
)
def payments():
    return 2


@dg.asset(automation_condition=dg.AutomationCondition.on_cron("0 6 * * *"))
def daily_report():
    return 3


@dg.asset(
    automation_condition=dg.AutomationCondition.on_missing(),
)
def backfilled():
    return 4


raw_events = dg.AssetSpec("raw_events", automation_condition=None)


@dg.multi_asset(outs={"a": dg.AssetOut(automation_condition=dg.AutomationCondition.eager()), "b": dg.AssetOut()})
def a_and_b():
    return 5, 6


# Not fixed: automation conditions are not rate-limited.
@dg.asset(auto_materialize_policy=dg.AutoMaterializePolicy.eager(max_materializations_per_minute=10))  # DAG804
def rate_limited():
    return 7
