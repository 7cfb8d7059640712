from dagster import AllPartitionMapping, AssetIn, asset

import dagster as dg

from analytics.defs.partitions import (
    all_regions,
    daily,
    hourly,
    late_daily,
    region_day,
    region_ny_day,
    regions,
    uploads,
)


# --- DAG201: partitions that the default mapping cannot map ------------------------------


@dg.asset(partitions_def=daily)
def daily_sales_report(regional_sales):  # DAG201
    return regional_sales


@asset(partitions_def=all_regions)
def regional_forecast(regional_sales):  # DAG201
    return regional_sales


@asset(partitions_def=uploads, deps=[dg.AssetKey(["raw", "raw_files"])])  # DAG201
def upload_audit():
    return 1


@dg.asset(partitions_def=regions, deps=["orders"])  # DAG201
def orders_by_region():
    return 1


# --- DAG202: time windows that do not line up -------------------------------------------


@dg.asset(partitions_def=daily)
def sessions(events):  # DAG202
    return events


@dg.asset(partitions_def=hourly, deps=["invoices"])  # DAG202
def hourly_revenue():
    return 1


@dg.asset(partitions_def=daily, deps=["store_visits"])  # DAG202
def visit_summary():
    return 1


# Both ends in this module.
@dg.asset(partitions_def=late_daily)
def survey_answers():
    return 1


@dg.asset(partitions_def=daily, deps=[survey_answers])  # DAG202
def survey_summary():
    return 1


# Multi-partitions that differ only in their `date` dimension's timezone: Dagster pairs the keys
# as text, so each downstream day reads another window.
@dg.asset(partitions_def=region_ny_day)
def regional_orders_local(regional_orders):  # DAG202
    return regional_orders


# --- near-misses: Dagster maps all of these ---------------------------------------------


# Hourly into daily: each day reads its 24 complete hours.
@dg.asset(partitions_def=daily)
def daily_clicks(clicks):
    return clicks


# Multi-partitions with a `region` dimension equal to `regions`: MultiToSingleDimensionPartitionMapping.
@dg.asset(partitions_def=regions)
def region_totals(regional_orders):
    return regional_orders


# An explicit mapping: the author chose how partitions line up.
@asset(partitions_def=daily, ins={"regional_sales": AssetIn(partition_mapping=AllPartitionMapping())})
def sales_digest(regional_sales):
    return regional_sales


@dg.asset(
    partitions_def=daily,
    deps=[dg.AssetDep("events", partition_mapping=dg.TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True))],
)
def sessions_tolerant():
    return 1


# Unpartitioned downstream: it reads every upstream partition.
@dg.asset
def all_sales(regional_sales):
    return regional_sales


# Same definition on both sides.
@dg.asset(partitions_def=daily, deps=["orders"])
def orders_cleaned():
    return 1


@dg.asset(partitions_def=region_day)
def regional_orders_cleaned(regional_orders):
    return regional_orders


# A computed definition: nothing to compare.
@dg.asset(partitions_def=dg.StaticPartitionsDefinition(sorted({"us", "eu"})))
def region_flags(regional_sales):
    return regional_sales


# A module constant, not an inline copy: others import it.
weekly = dg.WeeklyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=weekly)
def weekly_clicks(clicks):
    return clicks


# Both sides end on the same date: every weekly window lies in months that exist.
closed_monthly = dg.MonthlyPartitionsDefinition(start_date="2023-01-01", end_date="2023-04-01")
closed_weekly = dg.WeeklyPartitionsDefinition(start_date="2023-01-01", end_date="2023-04-01")


@dg.asset(partitions_def=closed_monthly)
def closed_invoices(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset(partitions_def=closed_weekly, deps=["closed_invoices"])
def closed_weekly_revenue():
    return 1


# The upstream comes from a factory: its partitions cannot be read, so nothing is claimed.
@dg.asset(partitions_def=daily, deps=["raw_returns"])
def daily_returns():
    return 1
