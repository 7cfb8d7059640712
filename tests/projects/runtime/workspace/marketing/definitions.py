import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-06-01"))  # DAG209
def campaigns(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[campaigns])  # DAG202 DAG209
def campaign_results(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


defs = dg.Definitions(assets=[campaigns, campaign_results])
