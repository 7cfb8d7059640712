import os

import dagster as dg


class EventsResource(dg.ConfigurableResource):
    url: str


def get_resources() -> dict:
    if os.getenv("DEPLOYMENT") == "prod":
        return {"events": EventsResource(url="https://events.example")}
    return {"events": EventsResource(url="http://localhost:9000")}
