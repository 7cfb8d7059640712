import dagster as dg

from lake import plugins

defs = dg.Definitions(assets=dg.load_assets_from_package_module(plugins))
