import dagster as dg


@dg.asset_check(asset=dg.AssetKey(["raw", "order"]))  # DAG102
def orders_not_empty() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=dg.AssetKey(["raw", "orders"]))
def orders_unique() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)
