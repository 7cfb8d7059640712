"""DAG804 with `from dagster import ...`: `AutomationCondition` is added, the policy import goes."""

from dagster import AutoMaterializePolicy, asset
from dagster import asset as a


@asset(auto_materialize_policy=AutoMaterializePolicy.eager())
def orders():
    return 1


@a(auto_materialize_policy=AutoMaterializePolicy.lazy(), group_name="finance")
def payments():
    return 2
