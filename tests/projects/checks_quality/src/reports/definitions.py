import dagster as dg

from reports import tables
from reports.extra import extra_assets

# `extra_assets()` may bring the checks in: which ones cannot be read, so no check is called dropped.
defs = dg.Definitions(assets=[*dg.load_assets_from_modules([tables]), *extra_assets()])
