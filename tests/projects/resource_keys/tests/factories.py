import dagster as dg

from shop.resources import WarehouseResource


# Test doubles bind their own resources: test modules are not part of a code location.
@dg.asset
def fake_orders(fake_warehouse: WarehouseResource):
    return fake_warehouse.query("select 1")


def materialize_fake_orders() -> dg.ExecuteInProcessResult:
    return dg.materialize([fake_orders], resources={"fake_warehouse": WarehouseResource(url="duckdb://")})
