import dagster as dg

from warehouse import tables

# Checks loaded next to the assets: nothing is dropped.
all_assets = dg.load_assets_from_modules([tables])

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=dg.load_asset_checks_from_modules([tables]),
)
