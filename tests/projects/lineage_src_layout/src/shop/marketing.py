import dagster as dg


@dg.asset
def orders():  # DAG104
    return "marketing orders"


@dg.asset(key_prefix="marketing")
def cleaned_orders():
    return "prefixed: a different key"
