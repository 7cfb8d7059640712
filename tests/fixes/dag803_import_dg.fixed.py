"""DAG803 with `import dagster as dg`, an aliased import, and cases that stay."""

import dagster as dg
from dagster import AssetExecutionContext, OpExecutionContext as Ctx


@dg.asset
def orders(context: dg.AssetExecutionContext):
    return 1


@dg.asset(group_name="finance")
def payments(context: AssetExecutionContext):
    return 2


def log_location(context: Ctx) -> None:
    context.log.info("running")


# Not fixed: the helper it is passed to declares the op context.
@dg.asset
def refunds(context: Ctx):  # DAG803
    log_location(context)
    return 3


# Not fixed: only the op context has `has_partitions`.
@dg.asset
def invoices(context: dg.OpExecutionContext):  # DAG803
    return 4 if context.has_partitions else 5


@dg.op
def load(context: dg.OpExecutionContext):
    return 6
