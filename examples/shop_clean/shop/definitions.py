import dagster as dg

from shop.assets import (
    customers,
    customers_have_ids,
    order_summary,
    raw_orders,
    raw_orders_have_amounts,
    summary_has_rows,
)
from shop.resources import shop_api, warehouse

nightly = dg.define_asset_job(
    "nightly",
    selection=[raw_orders, customers, order_summary],
    description="Everything the morning sales report needs.",
)

nightly_schedule = dg.build_schedule_from_partitioned_job(
    nightly,
    hour_of_day=2,
    description="Refresh yesterday's shop data every night.",
)

defs = dg.Definitions(
    assets=[raw_orders, customers, order_summary],
    asset_checks=[summary_has_rows, customers_have_ids, raw_orders_have_amounts],
    jobs=[nightly],
    schedules=[nightly_schedule],
    resources={"shop_api": shop_api, "warehouse": warehouse},
)
