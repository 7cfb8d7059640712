import dagster as dg

from marketing import assets

defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]))
