import dagster as dg

from shop import inventory, orders, reporting

from . import customers

sales_assets = dg.load_assets_from_modules([orders, customers], group_name="sales")
inventory_assets = dg.load_assets_from_modules([inventory])
reporting_assets = dg.load_assets_from_package_module(reporting, group_name="reporting")
marketing_assets = dg.load_assets_from_package_name("shop.marketing", group_name="marketing")

defs = dg.Definitions(assets=[*sales_assets, *inventory_assets, *reporting_assets, *marketing_assets])
