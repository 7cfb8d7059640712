import dagster as dg

from shop import checks, ingest, marketing, sources

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([sources, ingest, marketing]),
    asset_checks=dg.load_asset_checks_from_modules([checks]),
)
