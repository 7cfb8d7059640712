import dagster as dg

from pipeline import events

defs = dg.Definitions(assets=dg.load_assets_from_modules([events]))
