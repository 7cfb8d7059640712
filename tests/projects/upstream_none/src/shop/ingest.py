import dagster as dg


def write_table(name, rows):
    return None


@dg.asset
def raw_orders():
    write_table("raw_orders", [1, 2])


@dg.asset(key_prefix="staging")
def raw_payments():
    write_table("raw_payments", [3])
    return dg.MaterializeResult(metadata={"rows": 1})


@dg.asset
def raw_refunds() -> None:
    write_table("raw_refunds", [4])


@dg.asset
def raw_customers():
    return [{"id": 1}]


# A custom IO manager may load what the asset wrote itself.
@dg.asset(io_manager_key="warehouse_io_manager")
def raw_events():
    write_table("raw_events", [5])


def build_raw_asset(table: str):
    # A factory-built asset: what its body returns is not read, nothing is claimed about it.
    @dg.asset(name=f"raw_{table}_events")
    def _asset():
        write_table(table, [])

    return _asset


raw_click_events = build_raw_asset("click")
