from dagster import AssetIn, AssetKey, asset

import dagster as dg

from .resources.shop_api import EnrichSettings, ShopApi
from .sources import raw_orders


@asset(deps=["raw_order"])  # DAG101
def cleaned_orders():
    return 1


@asset(deps=[AssetKey(["shop", "staging", "raw_payment"])])  # DAG101
def cleaned_payments():
    return 2


@asset(ins={"refunds": AssetIn(key="raw_refund")})  # DAG101
def cleaned_refunds(refunds):
    return refunds


@asset
def order_report(raw_ordrs):  # DAG101
    return raw_ordrs


# --- near-misses: every key below exists ------------------------------------------------


@asset(deps=[raw_orders, "crm_contacts", ["shop", "staging", "raw_payments"], "raw_refunds"])
def daily_summary():
    return 3


@asset(ins={"refunds": AssetIn("raw_refunds"), "addr": AssetIn(key=["geo", "addresses"])})
def refunds_by_region(refunds, addr):
    return refunds, addr


@dg.asset(deps=[dg.AssetDep("customers"), dg.AssetKey.from_user_string("shop/staging/raw_payments")])
def customer_payments(raw_orders):
    return raw_orders


@asset
def orders(context, cleaned_orders):  # DAG104
    return cleaned_orders


# A one-part key reaches the prefixed asset of that name in the same group, as in Dagster.
@dg.asset(deps=["leads"], group_name="crm")
def qualified_leads():
    return 4


@dg.asset
def supplier_report(suppliers):  # `erp/suppliers`, group `default` on both sides
    return suppliers


@dg.asset(deps=[["shop", "staging", "raw_shipments"]])
def shipments():
    return 5


# --- bad: Dagster does not resolve these ------------------------------------------------


@asset(deps=["leads"])  # DAG101
def lead_report():
    return 6


@asset(deps=["shop/staging/raw_shipments"])  # DAG101
def shipment_report():
    return 7


# Resources and config typed with the project's own classes, whose bases live elsewhere: injected.
@dg.asset
def enriched_orders(api: ShopApi, settings: EnrichSettings, raw_orders):
    return raw_orders
