"""DAG801 with `import dagster as dg`: every `non_argument_deps=` becomes `deps=`."""

import dagster as dg

DEFAULTS = {"group_name": "sales"}


@dg.asset(non_argument_deps={"raw_orders"})
def orders():
    return 1


@dg.asset(
    key_prefix=["finance"],
    non_argument_deps={"ledger", "fx_rates"},  # the nightly exports
)
def balances():
    return 2


@dg.multi_asset(
    outs={"revenue": dg.AssetOut(), "refunds": dg.AssetOut()},
    non_argument_deps={dg.AssetKey(["stripe", "charges"])},
)
def revenue_and_refunds():
    return 3, 4


# Not fixed: `**DEFAULTS` could hold `deps` too.
@dg.asset(non_argument_deps={"raw_customers"}, **DEFAULTS)  # DAG801
def customers():
    return 5


def factory():
    # Not fixed: Dagster rejects `deps=` together with `non_argument_deps=`.
    @dg.asset(deps=["raw_a"], non_argument_deps={"raw_b"})  # DAG801
    def merged():
        return 6

    return merged
