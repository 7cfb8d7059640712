import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))  # DAG209
def orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01", end_offset=1), deps=["orders"])  # DAG202 DAG209
def order_totals(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
