import dagster as dg


@dg.asset
def orders() -> None:
    pass


@dg.asset
def customers() -> None:
    pass
