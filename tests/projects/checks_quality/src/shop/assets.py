from dagster import AssetCheckSpec, AssetOut, asset, multi_asset

import dagster as dg


@dg.asset
def orders():
    return [{"id": 1}]


@asset
def customers():  # DAG501 DAG507
    return []


# Staging tables are listed in `ignore-groups`: no check asked.
@dg.asset(group_name="staging")
def staging_orders():  # DAG507
    return []


# A check declared on the asset itself.
@asset(check_specs=[AssetCheckSpec("payments_have_amounts", asset="payments")])
def payments():  # DAG507
    yield dg.Output([])
    yield dg.AssetCheckResult(passed=True)


@multi_asset(outs={"invoices": AssetOut(), "credit_notes": AssetOut()})
def billing():  # DAG501 DAG507
    return [], []


@dg.asset(deps=[orders])
def order_summary():  # DAG507
    return 1
