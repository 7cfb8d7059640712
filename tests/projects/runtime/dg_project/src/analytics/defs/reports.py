import dagster as dg


@dg.asset(
    partitions_def=dg.MonthlyPartitionsDefinition(start_date="2024-01-01"),
    deps=[dg.AssetKey("raw_logs")],  # DAG203
)
def monthly_log_summary(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
