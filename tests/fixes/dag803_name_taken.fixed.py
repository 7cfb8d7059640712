"""DAG803 where `AssetExecutionContext` already names the module's own class: not fixed."""

from dagster import OpExecutionContext, asset


class AssetExecutionContext:
    """The project's own context wrapper (not Dagster's)."""


@asset
def orders(context: OpExecutionContext):  # DAG803
    return 1
