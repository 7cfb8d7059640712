import dagster as dg

from shop import assets, jobs, schedules, sensors

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    jobs=[jobs.orders_job, jobs.customers_job, jobs.cleanup_job, jobs.report_job],
    schedules=[schedules.orders_nightly, schedules.orders_partitioned],
    sensors=[sensors.stale_files],
)
