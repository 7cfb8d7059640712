from dagster import AssetSelection, define_asset_job, graph, job, op

from shop.assets import customer_report, customers, orders
from shop.partitions import daily

orders_job = define_asset_job("orders_job", selection=[orders])
customers_job = define_asset_job(name="customers_job", selection=AssetSelection.assets(customers, customer_report))
daily_group_job = define_asset_job("daily_group_job", selection=AssetSelection.groups("sales"), partitions_def=daily)
everything_job = define_asset_job("everything_job")


@op
def vacuum():
    return None


@job
def cleanup_job():
    vacuum()


@graph
def reporting():
    vacuum()


report_job = reporting.to_job(name="report_job")
reporting_job = reporting.to_job()
