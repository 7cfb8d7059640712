import dagster as dg


class WarehouseResource(dg.ConfigurableResource):
    dsn: str = dg.EnvVar("WAREHOUSE_DSN")


def warehouse_assets() -> list[dg.AssetsDefinition]:
    @dg.asset(name="orders")
    def load(warehouse: WarehouseResource) -> None:  # DAG307
        warehouse.dsn

    return [load]


defs = dg.Definitions(assets=warehouse_assets())
