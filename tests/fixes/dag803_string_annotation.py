"""DAG803 with string annotations: not fixed. Dagster rejects a string annotation on the
context, so these assets fail to load whatever the string names (they are built only when
`factory()` is called)."""

from dagster import OpExecutionContext, asset


@asset
def unannotated(context):
    return 0


def factory():
    @asset
    def orders(context: "OpExecutionContext"):  # DAG803
        return 1

    @asset
    def payments(context: 'OpExecutionContext'):  # DAG803
        return 2

    return [orders, payments]
