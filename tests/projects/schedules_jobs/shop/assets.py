import dagster as dg

from shop.partitions import daily


@dg.asset(partitions_def=daily)
def orders(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset
def customers():
    return []


@dg.asset(deps=[customers])
def customer_report():
    return 1
