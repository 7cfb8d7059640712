import dagster as dg

regions = dg.StaticPartitionsDefinition(["eu", "us"])
utc_by_region = dg.MultiPartitionsDefinition(
    {"date": dg.DailyPartitionsDefinition(start_date="2024-01-01"), "region": regions}
)
ny_by_region = dg.MultiPartitionsDefinition(
    {"date": dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="America/New_York"), "region": regions}
)


@dg.asset(partitions_def=utc_by_region)
def regional_orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=ny_by_region, deps=[regional_orders])  # DAG202
def regional_report(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
