import dagster as dg

hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=hourly)
def sensor_readings(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=daily, deps=[sensor_readings])  # DAG203
def daily_readings(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# Each hour needs one day: a fan-out, not a fan-in; but the day is not there before it ends.
@dg.asset(partitions_def=hourly, deps=[daily_readings])  # DAG202
def hourly_baseline(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
