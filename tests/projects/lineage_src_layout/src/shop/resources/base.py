import dagster as dg


class BaseApi(dg.ConfigurableResource):
    url: str


class BaseSettings(dg.Config):
    batch_size: int = 100
