"""DAG802 with `import dagster`: `compute_kind="x"` becomes `kinds={"x"}`."""

import dagster

WAREHOUSE = "snowflake"


@dagster.asset(kinds={"pandas"})
def orders():
    return 1


@dagster.asset(group_name="finance", kinds={WAREHOUSE})
def payments():
    return 2


@dagster.asset()
def refunds():
    return 3


@dagster.asset(
    key_prefix=["marketing"],
    kinds={"dbt"},  # shown as a badge in the UI
)
def campaigns():
    return 4


# Not fixed: a kind cannot have a space (`compute_kind` could); the kind needs a new name.
@dagster.asset(compute_kind="Google Sheets")  # DAG802
def sheets():
    return 6


def factory():
    # Not fixed: `kinds=` is already there (Dagster rejects the pair); merge by hand.
    @dagster.asset(compute_kind="python", kinds={"pandas"})  # DAG802
    def events():
        return 5

    return events
