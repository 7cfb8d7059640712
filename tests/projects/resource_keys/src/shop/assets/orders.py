import dagster as dg

from shop.resources import MailerResource, PaymentsApi, WarehouseResource


@dg.asset
def orders(warehouse: WarehouseResource):
    return warehouse.query("select * from orders")


@dg.asset
def refunds(payment_api: PaymentsApi):  # DAG307
    return payment_api.refunds()


@dg.asset(required_resource_keys={"mailer"})  # DAG307
def refund_digest(context: dg.AssetExecutionContext, refunds):
    context.resources.mailer.send("finance@example.com", str(refunds))


@dg.asset(required_resource_keys={"slack"})  # DAG307
def order_alerts(context: dg.AssetExecutionContext, orders):
    # One finding per key and asset, at the declaration.
    context.resources.slack.post(f"{len(orders)} orders")
    context.resources.slack.post("done")


@dg.asset(io_manager_key="s3_io")  # DAG307
def order_archive(orders):
    return orders


@dg.multi_asset(outs={"paid": dg.AssetOut(io_manager_key="parquet_io"), "unpaid": dg.AssetOut(io_manager_key="delta_io")})  # DAG307
def split_orders(orders):
    return orders, orders


# --- near-misses: every key below is bound ----------------------------------------------


@dg.asset(io_manager_key="parquet_io", required_resource_keys={"crm"})
def crm_accounts(context: dg.AssetExecutionContext, payments_api: PaymentsApi):
    return payments_api.refunds()


@dg.asset
def exported_orders(export_store: WarehouseResource, orders):
    # Bound through `resources.EXPORT_RESOURCES`, spread into the Definitions.
    return export_store.query("select 1")


@dg.asset(io_manager_key="io_manager")
def default_io(orders):
    # `io_manager` is always bound.
    return orders


@dg.asset
def mailer_stub(mailer):
    # Unannotated and not a bound key: an upstream asset, not a resource requirement.
    return mailer
