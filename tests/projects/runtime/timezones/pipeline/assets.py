import dagster as dg

utc_daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
ny_daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="America/New_York")


@dg.asset(partitions_def=utc_daily)
def clicks(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=ny_daily, deps=[clicks])  # DAG202
def click_report(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
