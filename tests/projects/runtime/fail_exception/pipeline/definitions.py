import dagster as dg

from pipeline.settings import warehouse_schema


@dg.asset(key_prefix=[warehouse_schema()])
def orders() -> None:
    pass


defs = dg.Definitions(assets=[orders])
