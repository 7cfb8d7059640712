"""DAG807 with `from dagster import ...` and an alias: `AssetSpec` is added in sorted order."""

from dagster import AssetKey, AssetSpec, asset

raw_orders = AssetSpec(AssetKey(["shop", "orders"])).with_io_manager_key("warehouse")
raw_refunds = AssetSpec("raw_refunds", metadata={"owner": "finance"})


@asset(deps=[raw_orders, raw_refunds])
def refunds():
    return 1
