import dagster as dg


# `fct_orders` and `stg_customers` are dbt models: silent.
@dg.asset(deps=["fct_orders", dg.AssetKey(["staging", "stg_customers"])])
def orders_export():  # DAG501
    return 1


@dg.asset_check(asset="fct_orders")
def fct_orders_not_empty():
    return dg.AssetCheckResult(passed=True)


@dg.sensor(jobs=[])
def export_ready(context):
    yield dg.RunRequest(run_key="a", job_name="dbt_nightly")
    yield dg.RunRequest(run_key="b", job_name="dbt_hourly")  # DAG906


# A cycle among the Python assets is a cycle whatever dbt defines.
@dg.asset(deps=["export_log"])  # DAG108
def export_audit():  # DAG501
    return 1


@dg.asset(deps=[export_audit])  # DAG108
def export_log():  # DAG501
    return 1
