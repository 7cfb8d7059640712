import dagster as dg


# A test double with the same key as a real asset: tests are not part of the code location.
@dg.asset
def raw_orders():
    return []


# A test's own assets depend on each other: known in this module, not in the project.
@dg.asset(deps=["raw_orders_double"])
def cleaned_orders_double():
    return []


@dg.asset
def raw_orders_double():
    return []


@dg.asset_check(asset="raw_orders_double")
def double_has_rows():
    return dg.AssetCheckResult(passed=True)
