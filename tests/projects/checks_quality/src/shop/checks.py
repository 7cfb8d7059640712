import dagster as dg

from shop.assets import orders


@dg.asset_check(asset=orders)
def orders_have_ids(orders):
    return dg.AssetCheckResult(passed=all("id" in o for o in orders))


# A freshness check counts for the assets it lists.
billing_freshness = dg.build_last_update_freshness_checks(
    assets=["invoices", dg.AssetKey("order_summary")], lower_bound_delta=__import__("datetime").timedelta(hours=2)
)


# A sensor over the freshness checks, not a check: it targets no asset.
freshness_sensor = dg.build_sensor_for_freshness_checks(freshness_checks=billing_freshness)
