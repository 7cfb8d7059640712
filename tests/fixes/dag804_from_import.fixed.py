"""DAG804 with `from dagster import ...`: `AutomationCondition` is added, the policy import goes."""

from dagster import AutomationCondition, asset
from dagster import asset as a


@asset(automation_condition=AutomationCondition.eager())
def orders():
    return 1


@a(automation_condition=AutomationCondition.any_downstream_conditions(), group_name="finance")
def payments():
    return 2
