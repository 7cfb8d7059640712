import dagster as dg

from pipeline import assets

print("loading the pipeline definitions")  # DAG001

defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]))
