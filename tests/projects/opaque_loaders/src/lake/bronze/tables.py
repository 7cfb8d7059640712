import dagster as dg


@dg.asset
def orders():
    return 1


@dg.asset
def payments():
    return 2
