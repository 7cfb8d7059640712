import dagster as dg


@dg.asset
def stock_levels():  # DAG705
    # `definitions.py` loads this module without a group name: it lands in `default`.
    return {"sku-1": 4}
