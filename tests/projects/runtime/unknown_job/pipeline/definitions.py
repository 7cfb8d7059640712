import dagster as dg


@dg.asset
def orders() -> None:
    pass


orders_job = dg.define_asset_job("orders_job", selection=[orders])
nightly = dg.ScheduleDefinition(name="nightly", job_name="order_job", cron_schedule="0 2 * * *")  # DAG906

defs = dg.Definitions(assets=[orders], jobs=[orders_job], schedules=[nightly])
