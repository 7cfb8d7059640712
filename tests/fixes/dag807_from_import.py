"""DAG807 with `from dagster import ...` and an alias: `AssetSpec` is added in sorted order."""

from dagster import AssetKey, SourceAsset, asset
from dagster import SourceAsset as Source

raw_orders = SourceAsset(AssetKey(["shop", "orders"]), io_manager_key="warehouse")
raw_refunds = Source("raw_refunds", metadata={"owner": "finance"})


@asset(deps=[raw_orders, raw_refunds])
def refunds():
    return 1
