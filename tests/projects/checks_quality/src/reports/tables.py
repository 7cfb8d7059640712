import dagster as dg


@dg.asset
def revenue():  # DAG501 DAG507
    return 1


@dg.asset_check(asset=dg.AssetKey("revenue_daily"))
def revenue_daily_positive():
    return dg.AssetCheckResult(passed=True)
