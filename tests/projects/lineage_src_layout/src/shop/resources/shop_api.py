from shop.resources.base import BaseApi, BaseSettings


class ShopApi(BaseApi):
    token: str


class EnrichSettings(BaseSettings):
    country: str = "DE"
