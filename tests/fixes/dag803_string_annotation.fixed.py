"""DAG803 leaves string annotations alone: Dagster refuses a string annotation on the context
whatever it names (DAG109 reports it), so there is nothing to rewrite (the assets are built only
when `factory()` is called)."""

from dagster import OpExecutionContext, asset


@asset
def unannotated(context):
    return 0


def factory():
    @asset
    def orders(context: "OpExecutionContext"):
        return 1

    @asset
    def payments(context: 'OpExecutionContext'):
        return 2

    return [orders, payments]
