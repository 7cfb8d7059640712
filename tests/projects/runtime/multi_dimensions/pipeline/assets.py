import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
by_region = dg.MultiPartitionsDefinition({"date": daily, "region": dg.StaticPartitionsDefinition(["eu", "us"])})
by_country = dg.MultiPartitionsDefinition({"date": daily, "country": dg.StaticPartitionsDefinition(["eu", "us"])})


@dg.asset(partitions_def=by_region)
def shipments(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=by_country, deps=[shipments])  # DAG201
def shipment_costs(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
