import dagster as dg

from etl.settings import ENVIRONMENT


@dg.asset(key=[ENVIRONMENT, "orders"])
def orders():
    return 1


# `prod/orders` or `dev/orders`: the key of `orders` is computed, so neither is unknown.
@dg.asset(deps=[dg.AssetKey(["prod", "orders"])])
def order_report():  # DAG501
    return 1


@dg.asset_check(asset=dg.AssetKey(["dev", "orders"]))
def orders_not_empty():
    return dg.AssetCheckResult(passed=True)


# A key this computed one cannot have (a different last part) is still provably unknown.
@dg.asset(deps=[dg.AssetKey(["prod", "payments"])])  # DAG101
def payment_report():  # DAG501
    return 1
