"""DAG807 with `import dagster as dg`: `SourceAsset` becomes `AssetSpec`."""

import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

raw_orders = dg.SourceAsset("raw_orders")
raw_payments = dg.SourceAsset(
    key=dg.AssetKey(["stripe", "payments"]),
    group_name="raw",
    description="Payments as Stripe exports them",
)
raw_events = dg.SourceAsset("raw_events", {"owner": "tracking"}, partitions_def=daily)
raw_customers = dg.SourceAsset("raw_customers", io_manager_key="warehouse", group_name="raw")


@dg.asset(deps=[raw_orders, raw_payments])
def orders():
    return 1


# Not fixed: an observation function makes it an observable source asset.
raw_clicks = dg.SourceAsset("raw_clicks", observe_fn=lambda context: dg.DataVersion("1"))  # DAG807
