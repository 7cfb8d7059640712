import dagster as dg

from pipeline import assets

defs = dg.Definitions(assets=dg.load_assets_from_package_module(assets))
