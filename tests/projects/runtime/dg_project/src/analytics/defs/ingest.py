import dagster as dg


@dg.asset(partitions_def=dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00"))
def raw_logs(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
