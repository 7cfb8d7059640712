import dagster as dg


@dg.asset
def raw_events():
    return 1
