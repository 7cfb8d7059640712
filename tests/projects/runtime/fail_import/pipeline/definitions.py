import dagster as dg

from pipeline import assets

defs = dg.Definitions(assets=[assets.orders])
