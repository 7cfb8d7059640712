import dagster as dg


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["eu", "us"]))
def sales(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(
    partitions_def=dg.StaticPartitionsDefinition(["eu", "asia"]),
    ins={"sales": dg.AssetIn(dagster_type=dg.Nothing)},
)
def sales_report(context: dg.AssetExecutionContext) -> None:  # DAG201
    context.log.info(context.partition_key)
