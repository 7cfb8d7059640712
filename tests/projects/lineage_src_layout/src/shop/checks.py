import dagster as dg


@dg.asset_check(asset="cleaned_order")  # DAG102
def cleaned_orders_not_empty():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=dg.AssetKey(["shop", "staging", "raw_payments"]))
def payments_have_ids():
    return dg.AssetCheckResult(passed=True)
