import dagster as dg


@dg.asset_check(asset="cleaned_order")  # DAG102
def cleaned_orders_not_empty():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=dg.AssetKey(["shop", "staging", "raw_payments"]))
def payments_have_ids():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=["shop", "staging", "raw_shipments"])
def shipments_have_ids():
    return dg.AssetCheckResult(passed=True)


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("orders_fresh", asset="raw_orders"),
        dg.AssetCheckSpec("refunds_fresh", asset="raw_refund"),  # DAG102
    ]
)
def freshness_checks():
    yield dg.AssetCheckResult(check_name="orders_fresh", passed=True)


recent_leads = dg.build_last_update_freshness_checks(
    assets=[dg.AssetKey(["crm", "leads"]), "crm_contact"],  # DAG102
    lower_bound_delta=__import__("datetime").timedelta(hours=1),
)
