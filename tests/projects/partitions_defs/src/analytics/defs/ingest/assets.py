import dagster as dg

from analytics.defs.partitions import (
    daily,
    files,
    hourly,
    late_daily,
    monthly,
    ny_daily,
    region_day,
    regions,
)


@dg.asset(partitions_def=late_daily)
def events(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=hourly)
def clicks(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=monthly)
def invoices(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=ny_daily)
def store_visits(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=daily)
def orders(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=regions)
def regional_sales(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=region_day)
def regional_orders(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=files, key_prefix="raw")
def raw_files(context: dg.AssetExecutionContext):
    return context.partition_key


# An inline copy of `daily` (partitions.py) with another start date: DAG209, and the drift DAG202 is about.
@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-03-01"))  # DAG209
def refunds(context: dg.AssetExecutionContext):
    return context.partition_key


# Another module constant equal to `regions`: constants are what others import, not copies to report.
market_regions = dg.StaticPartitionsDefinition(["eu", "us"])


def build_region_asset(name: str):
    # A factory-built asset: its key and partitions are not read.
    @dg.asset(name=f"raw_{name}", partitions_def=dg.StaticPartitionsDefinition(["eu", "us"]))
    def _asset(context: dg.AssetExecutionContext):
        return context.partition_key

    return _asset


raw_returns = build_region_asset("returns")
