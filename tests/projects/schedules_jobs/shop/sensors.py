from dagster import RunRequest, sensor

import dagster as dg

from shop import settings
from shop.settings import CUSTOMERS_JOB, REPORTS_JOB


@sensor(job_name="cleanup_jb")  # DAG906
def stale_files(context):
    return RunRequest(run_key="x")


@dg.sensor(jobs=[])
def any_job(context):
    yield RunRequest(run_key="a", job_name="customer_job")  # DAG906
    yield RunRequest(run_key="b", job_name=CUSTOMERS_JOB)
    yield RunRequest(run_key="c", job_name=REPORTS_JOB)
    yield RunRequest(run_key="d", job_name=settings.CUSTOMERS_JOB)
    yield RunRequest(run_key="e", job_name="cleanup_job")
    yield RunRequest(run_key="f", job_name="__ASSET_JOB")
