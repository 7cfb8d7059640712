import dagster as dg


# `plugins/clicks` is made by `globals()` in lake/plugins, like any other key might be:
# nothing in this project can be proven unknown.
@dg.asset(deps=[dg.AssetKey(["plugins", "clicks"]), "clicks_typo"])
def click_stream():
    return 1


@dg.asset_check(asset=dg.AssetKey(["plugins", "view"]))
def views_fresh():
    return dg.AssetCheckResult(passed=True)
