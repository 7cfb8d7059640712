import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
regions = dg.StaticPartitionsDefinition(["eu", "us"])
by_day_and_region = dg.MultiPartitionsDefinition({"date": daily, "region": regions})
uploads = dg.DynamicPartitionsDefinition(name="uploads")


# One partitions definition shared by both sides.
@dg.asset(partitions_def=daily)
def orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=daily, deps=[orders])
def order_totals(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# The previous day, with the first day allowed to have none.
@dg.asset(
    partitions_def=daily,
    deps=[dg.AssetDep(orders, partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))],
)
def day_over_day(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# Multi -> single on the shared date dimension: Dagster maps it dimension by dimension.
@dg.asset(partitions_def=by_day_and_region)
def regional_orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=daily, deps=[regional_orders])
def all_regions(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# Static keys mapped explicitly.
@dg.asset(partitions_def=regions)
def regional_sales(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(
    partitions_def=dg.StaticPartitionsDefinition(["europe", "america"]),
    deps=[dg.AssetDep(regional_sales, partition_mapping=dg.StaticPartitionMapping({"eu": "europe", "us": "america"}))],
)
def continent_sales(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# 24 hourly partitions per day: under the default fan-in limit.
@dg.asset(partitions_def=hourly)
def page_views(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=daily, deps=[page_views])
def daily_views(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# Weeks made of days that all exist.
@dg.asset(partitions_def=dg.WeeklyPartitionsDefinition(start_date="2024-01-07"), deps=[orders])
def weekly_orders(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# The same dynamic partitions definition on both sides.
@dg.asset(partitions_def=uploads)
def raw_uploads(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset(partitions_def=uploads, deps=[raw_uploads])
def parsed_uploads(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


# Unpartitioned aggregate of every partition, and a partitioned asset that only depends on
# (does not load) an unpartitioned table.
@dg.asset(deps=[orders])
def lifetime_totals() -> None:
    pass


@dg.asset(partitions_def=daily, deps=[lifetime_totals])
def daily_share(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
