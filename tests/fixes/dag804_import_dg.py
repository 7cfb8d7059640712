"""DAG804 with `import dagster as dg`: policies become automation conditions."""

import dagster as dg


@dg.asset(auto_materialize_policy=dg.AutoMaterializePolicy.eager())
def orders():
    return 1


@dg.asset(
    group_name="finance",
    auto_materialize_policy=dg.AutoMaterializePolicy.lazy(),  # only when downstream needs it
)
def payments():
    return 2


@dg.asset(auto_materialize_policy=dg.AutomationCondition.on_cron("0 6 * * *").as_auto_materialize_policy())
def daily_report():
    return 3


@dg.asset(
    auto_materialize_policy=dg.AutoMaterializePolicy.from_automation_condition(
        dg.AutomationCondition.on_missing()
    ),
)
def backfilled():
    return 4


raw_events = dg.AssetSpec("raw_events", auto_materialize_policy=None)


@dg.multi_asset(outs={"a": dg.AssetOut(auto_materialize_policy=dg.AutoMaterializePolicy.eager()), "b": dg.AssetOut()})
def a_and_b():
    return 5, 6


# Not fixed: automation conditions are not rate-limited.
@dg.asset(auto_materialize_policy=dg.AutoMaterializePolicy.eager(max_materializations_per_minute=10))  # DAG804
def rate_limited():
    return 7
