import dagster as dg


# `raw_orders` may come from the factory: the project index cannot prove it unknown.
@dg.asset(deps=["raw_orders"])
def cleaned_orders():
    return 1


@dg.asset_check(asset="raw_payments")
def payments_check():
    return dg.AssetCheckResult(passed=True)


@dg.asset
def twice():  # DAG104
    return 1


@dg.asset(name="twice")
def twice_again():  # DAG104
    return 2
