import dagster as dg


# `bronze/orders` exists once the loader renames `orders`.
@dg.asset(deps=[dg.AssetKey(["bronze", "orders"])])
def silver_orders():
    return 1


# The renaming loader only makes keys under `bronze/`.
@dg.asset(deps=[dg.AssetKey(["gold", "orders"])])  # DAG101
def gold_orders():
    return 1


@dg.asset_check(asset=dg.AssetKey(["bronze", "payments"]))
def payments_fresh():
    return dg.AssetCheckResult(passed=True)
