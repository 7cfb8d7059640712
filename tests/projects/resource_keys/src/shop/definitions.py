import dagster as dg

from shop import jobs, resources, sensors
from shop.assets import customers, orders
from shop.resources import BASE_RESOURCES, PaymentsApi, warehouse

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([orders, customers]),
    jobs=[jobs.nightly_export],
    sensors=[sensors.refund_alerts],
    resources={
        **BASE_RESOURCES,
        **resources.EXPORT_RESOURCES,
        "warehouse": warehouse,
        "payments_api": PaymentsApi(base_url="https://payments.example", token=dg.EnvVar("PAYMENTS_TOKEN")),
        "parquet_io": dg.FilesystemIOManager(base_dir="data"),
    },
)
