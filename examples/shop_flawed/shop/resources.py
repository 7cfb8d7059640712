import os

import dagster as dg
import requests


class ShopApiResource(dg.ConfigurableResource):
    """Client for the shop's order API."""

    base_url: str
    api_key: str = "sk_live_51HxQ2b9"

    def get(self, path: str, **params):
        response = requests.get(f"{self.base_url}/{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()


class WarehouseResource(dg.ConfigurableResource):
    """Connection settings for the analytics warehouse."""

    dsn: str


shop_api = ShopApiResource(base_url="https://api.shop.example")
warehouse = WarehouseResource(dsn=os.getenv("WAREHOUSE_DSN", "postgresql://localhost/shop"))
