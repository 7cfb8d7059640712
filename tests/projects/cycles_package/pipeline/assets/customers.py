import dagster as dg


@dg.asset
def customers(orders):  # DAG108
    return orders


# Downstream of the cycle, not on it.
@dg.asset(deps=[customers])
def customer_report():
    return 1


# A cycle through a Python name and a prefixed key: segments -> loyalty -> segments.
@dg.asset(key_prefix="crm", deps=["loyalty"])  # DAG108
def segments():
    return 1


@dg.asset(deps=[segments], key_prefix="crm")  # DAG108
def loyalty():
    return 1
