import dagster as dg


# Quiet: `definitions.py` loads this module with `group_name="sales"`.
@dg.asset
def orders():
    return [1, 2, 3]


@dg.asset
def order_count(orders):
    return len(orders)
