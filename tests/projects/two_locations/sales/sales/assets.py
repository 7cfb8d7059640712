import dagster as dg


# Each code location has its own `orders`: they never meet in one Definitions.
@dg.asset
def orders():
    return 1
