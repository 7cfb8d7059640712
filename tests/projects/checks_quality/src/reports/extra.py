import dagster as dg

from reports import tables


def extra_assets():
    return [tables.revenue_daily_positive, dg.AssetSpec("revenue_daily")]
