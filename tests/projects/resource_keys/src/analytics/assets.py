import dagster as dg

from analytics.resources import EventsResource


@dg.asset
def crm():
    return []


@dg.asset
def sessions(events: EventsResource, clickstream: EventsResource):
    # `clickstream` may well be in get_resources(): silent.
    return []
