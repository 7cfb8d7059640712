import dagster as dg
import requests


class WarehouseResource(dg.ConfigurableResource):
    url: str

    def query(self, sql: str) -> list:
        return []


class PaymentsApi(dg.ConfigurableResource):
    base_url: str
    token: str

    def refunds(self) -> list:
        return requests.get(f"{self.base_url}/refunds", timeout=30).json()


class MailerResource(dg.ConfigurableResource):
    sender: str

    def send(self, to: str, body: str) -> None: ...


class CrmResource(dg.ConfigurableResource):
    api_key: str


warehouse = WarehouseResource(url=dg.EnvVar("WAREHOUSE_URL"))

BASE_RESOURCES = {"crm": CrmResource(api_key=dg.EnvVar("CRM_API_KEY"))}

# Bound for the exports this location runs; `definitions.py` spreads it in.
EXPORT_RESOURCES = {"export_store": WarehouseResource(url=dg.EnvVar("EXPORT_STORE_URL"))}
