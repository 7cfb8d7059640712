import dagster as dg

from shop import assets

defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]))
