import dagster as dg

from pipeline import assets

daily_job = dg.define_asset_job("daily_job", selection=[assets.orders, assets.order_totals])

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    jobs=[daily_job],
    # A schedule that picks the partition of each tick.
    schedules=[dg.build_schedule_from_partitioned_job(daily_job)],
)
