import dagster as dg

from shop import assets
from shop.resources import warehouse_io_manager

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    resources={"io_manager": warehouse_io_manager},
)
