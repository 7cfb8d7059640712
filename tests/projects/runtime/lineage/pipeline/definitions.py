import dagster as dg

from pipeline import checks, cycle, factory, raw

defs = dg.Definitions(
    assets=[
        *dg.load_assets_from_modules([raw], key_prefix="raw"),
        factory.order_report,
        factory.customer_report,
        *dg.load_assets_from_modules([cycle]),
    ],
    asset_checks=[checks.orders_not_empty, checks.orders_unique],
)
