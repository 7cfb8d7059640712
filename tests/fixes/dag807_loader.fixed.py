"""DAG807 in a module that collects assets with `load_assets_from_*`: not fixed, because the
loader skips `AssetSpec`s unless `include_specs=True`."""

import sys

from dagster import SourceAsset, asset, load_assets_from_modules

raw_orders = SourceAsset("raw_orders")  # DAG807


@asset(deps=[raw_orders])
def orders():
    return 1


all_assets = load_assets_from_modules([sys.modules[__name__]])
