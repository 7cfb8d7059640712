import dagster as dg

RAW_START = "2024-02-01"


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date=RAW_START))  # DAG209
def raw_events(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[raw_events])  # DAG202 DAG209
def sessions(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
