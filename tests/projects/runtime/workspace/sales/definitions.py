import dagster as dg


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["eu", "us"]))
def sales(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["eu", "apac"]), deps=[sales])  # DAG201
def sales_targets(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


defs = dg.Definitions(assets=[sales, sales_targets])
