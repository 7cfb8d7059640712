import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=daily)
def orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset
def customers() -> None:
    pass
