import dagster as dg


# The test runs the whole code location's job: any asset may be tested, none is reported.
@dg.asset
def orders():
    return [1]


@dg.asset
def order_count(orders):
    return len(orders)
