import dagster as dg


@dg.asset
def events():  # DAG104
    return 1
