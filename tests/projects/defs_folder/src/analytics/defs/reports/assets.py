import dagster as dg


@dg.asset(deps=["event_from_yaml_component"])
def weekly_report():
    return 1


@dg.asset
def events():  # DAG104
    return 2
