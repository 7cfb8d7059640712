import dagster as dg


@dg.asset
def customers(warehouse):  # DAG308
    return warehouse.query("select * from customers")


@dg.asset
def customer_notes(crm):
    # `crm` is also an asset of the analytics location: an upstream asset.
    return crm


@dg.asset
def customer_refunds(payments_api: "PaymentsApi"):  # noqa: F821
    return payments_api.refunds()
