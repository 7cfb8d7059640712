import dagster as dg

from shop import assets, checks

# The asset loader skips asset checks: `orders_have_ids` and `billing_freshness` would never run.
defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets, checks]),  # DAG505
)
