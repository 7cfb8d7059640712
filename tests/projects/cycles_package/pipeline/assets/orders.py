from dagster import AssetSpec, asset, multi_asset

import dagster as dg


# orders -> customers -> orders: a cycle across two files, reported at both dependencies.
@asset(deps=["customers"])  # DAG108
def orders():
    return 1


@dg.asset
def order_lines(orders):
    return orders


# A self-dependency is a cycle of one.
@dg.asset(deps=["audit_log"])  # DAG108
def audit_log():
    return 1


# Dependencies between the outputs of one multi-asset are fine: `shipments` after `parcels`.
@multi_asset(specs=[AssetSpec("parcels"), AssetSpec("shipments", deps=["parcels"])])
def logistics():
    return None


# Each day reads the day before: a self-dependency Dagster allows, through an explicit mapping.
@dg.asset(
    partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"),
    deps=[dg.AssetDep("running_total", partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))],
)
def running_total():
    return 1
