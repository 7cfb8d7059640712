from dagster import AssetIn, asset

import dagster as dg

from shop.ingest import raw_orders


@dg.asset
def order_report(raw_orders):  # DAG107
    return len(raw_orders)


# `raw_payments` reaches `staging/raw_payments`: same group, one asset of that name.
@asset
def payment_report(raw_payments):  # DAG107
    return raw_payments


@asset
def refund_report(raw_refunds):  # DAG107
    return raw_refunds


@asset(ins={"orders": AssetIn("raw_orders")})
def order_count(orders):  # DAG107
    return len(orders)


# --- near-misses ------------------------------------------------------------------------


@dg.asset(deps=[raw_orders])
def order_audit():
    return 1


@dg.asset
def customer_report(raw_customers):
    return raw_customers


@dg.asset
def event_report(raw_events):
    return raw_events


@asset(ins={"orders": AssetIn("raw_orders", input_manager_key="table_loader")})
def order_export(orders):
    return orders


@dg.asset(ins={"orders": dg.AssetIn("raw_orders", dagster_type=dg.Nothing)})
def order_marker():
    return 1


@dg.asset
def click_report(raw_click_events):
    return raw_click_events
