import dagster as dg

from pipeline import assets
from pipeline.resources import shared_resources

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    asset_checks=dg.load_asset_checks_from_modules([assets]),
    resources=shared_resources(),
)
