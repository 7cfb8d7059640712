import dagster as dg
from dagster_dbt import DbtCliResource


class FinanceApi(dg.ConfigurableResource):
    token: str


@dg.definitions
def resources():
    return dg.Definitions(
        resources={
            "dbt": DbtCliResource(project_dir="transform"),
            "finance": FinanceApi(token=dg.EnvVar("FINANCE_TOKEN")),
        }
    )
