"""DAG804 where a policy stays (built elsewhere), so its import stays too."""

from dagster import AutoMaterializePolicy, AutomationCondition as Condition, asset

LAZY = AutoMaterializePolicy.lazy()  # DAG804


@asset(auto_materialize_policy=AutoMaterializePolicy.eager())
def orders():
    return 1


# Not fixed: the policy is a module constant; replace it there.
@asset(auto_materialize_policy=LAZY)  # DAG804
def payments():
    return 2
