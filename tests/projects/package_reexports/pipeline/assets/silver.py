from dagster import asset

from pipeline.assets import raw_events


@asset(deps=[raw_events])
def cleaned_events():
    return 1


@asset(deps=["raw_event"])  # DAG101
def sessions():
    return 2
