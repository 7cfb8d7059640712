import dagster as dg

from shop.assets import customers, order_summary, raw_orders, summary_has_rows
from shop.resources import shop_api, warehouse

nightly = dg.define_asset_job("nightly", selection=[raw_orders, customers, order_summary])

nightly_schedule = dg.ScheduleDefinition(
    job=nightly,
    cron_schedule="0 2 * * * *",
    execution_timezone="Europe/Berlin",
    description="Refresh the shop assets every night.",
)

defs = dg.Definitions(
    assets=[raw_orders, customers, order_summary],
    asset_checks=[summary_has_rows],
    jobs=[nightly],
    schedules=[nightly_schedule],
    resources={"shop_api": shop_api, "warehouse": warehouse},
)
