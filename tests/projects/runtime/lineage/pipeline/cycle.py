import dagster as dg


@dg.asset(deps=["refunds"])  # DAG108
def payments() -> None:
    pass


@dg.asset(deps=[payments])  # DAG108
def refunds() -> None:
    pass
