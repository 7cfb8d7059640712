import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset
def customers() -> dict:  # DAG501
    return {}


@dg.asset(partitions_def=daily)
def orders(context: dg.AssetExecutionContext, customers: dict) -> dict:  # DAG606
    context.log.info(context.partition_key)
    return customers


@dg.asset(
    partitions_def=daily,
    deps=[dg.AssetDep("customers", partition_mapping=dg.LastPartitionMapping())],  # DAG206
)
def customer_snapshot(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)


@dg.asset_check(asset=orders)
def orders_present() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=customer_snapshot)
def snapshot_present() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)
