import dagster as dg

from analytics import assets
from analytics.resources import get_resources

# Resources chosen at load time: this location's keys cannot be read from source.
defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]), resources=get_resources())
