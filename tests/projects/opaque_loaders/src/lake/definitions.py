import dagster as dg

from lake import bronze

# The loader renames every asset of `bronze` to `bronze/<name>`.
defs = dg.Definitions(assets=dg.load_assets_from_package_module(bronze, key_prefix="bronze"))
