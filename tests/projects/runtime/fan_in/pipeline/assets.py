import dagster as dg

hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")


@dg.asset(partitions_def=hourly)
def page_views(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=dg.MonthlyPartitionsDefinition(start_date="2024-01-01"), deps=[page_views])  # DAG203
def monthly_views(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# 24 hours per day: under the default limit of 100.
@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[page_views])
def daily_views(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
