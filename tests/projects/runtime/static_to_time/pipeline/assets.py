import dagster as dg


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["web", "store"]))
def channels(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[channels])  # DAG201
def daily_channel_mix(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
