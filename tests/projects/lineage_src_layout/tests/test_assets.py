import dagster as dg


# A test double with the same key as a real asset: tests are not part of the code location.
@dg.asset
def raw_orders():
    return []
