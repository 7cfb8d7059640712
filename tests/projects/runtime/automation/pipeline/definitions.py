import dagster as dg

from pipeline import assets, automation

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    jobs=[automation.orders_job, automation.customers_job],
    schedules=[
        automation.nightly_orders,
        automation.partitioned_orders,
        automation.orders_without_partition,
        automation.orders_for_yesterday,
        automation.customers_digest,
    ],
    sensors=[automation.new_customers],
)
