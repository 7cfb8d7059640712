import dagster as dg


# `raw_orders` may come from the factory: the project index cannot prove it unknown.
@dg.asset(deps=["raw_orders"])
def cleaned_orders():
    return 1


# No factory makes a key without the `raw_` prefix: this one is provably unknown.
@dg.asset(deps=["stg_orders"])  # DAG101
def staged_orders():
    return 1


@dg.asset_check(asset="raw_payments")
def payments_check():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset="stg_payments")  # DAG102
def staged_payments_check():
    return dg.AssetCheckResult(passed=True)


@dg.asset
def twice():  # DAG104
    return 1


@dg.asset(name="twice")
def twice_again():  # DAG104
    return 2


@dg.sensor(jobs=[])
def orders_arrived(context):
    yield dg.RunRequest(run_key="a", job_name="orders_job")  # the factory's `f"{table}_job"`
    yield dg.RunRequest(run_key="b", job_name="nightly")  # DAG906
