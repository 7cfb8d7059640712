import dagster as dg
import psycopg2
import requests


class ShopApiResource(dg.ConfigurableResource):
    """Client for the shop's order API."""

    base_url: str
    api_key: str

    def get(self, path: str, **params):
        response = requests.get(
            f"{self.base_url}/{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


class WarehouseResource(dg.ConfigurableResource):
    """Connection settings for the analytics warehouse."""

    dsn: str

    def connect(self):
        return psycopg2.connect(self.dsn)


shop_api = ShopApiResource(base_url="https://api.shop.example", api_key=dg.EnvVar("SHOP_API_KEY"))
warehouse = WarehouseResource(dsn=dg.EnvVar("WAREHOUSE_DSN"))
