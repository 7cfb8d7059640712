"""DAG807 where `AssetSpec` already names something of the module's own: not fixed."""

from dagster import SourceAsset


def AssetSpec(name):  # a project helper that happens to have Dagster's name
    return {"name": name}


raw_orders = SourceAsset("raw_orders")  # DAG807
