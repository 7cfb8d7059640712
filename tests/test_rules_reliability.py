"""DAG4xx behaviour that a fixture file cannot show: it depends on the file's path or on the
whole module (a job that sets the retry policy for every asset in it)."""

from __future__ import annotations

import pytest

from dagster_lint.engine import lint_source

NETWORK_ASSET = """\
import dagster as dg
import requests


@dg.asset
def rates():
    return requests.get("https://api.example.com/rates", timeout=30).json()
"""


def test_network_call_without_retry_policy_reported():
    findings = lint_source(NETWORK_ASSET, "pipeline/assets.py", enabled={"DAG402"})
    assert [(f.code, f.line) for f in findings] == [("DAG402", 6)]
    assert findings[0].message.startswith("asset `rates` calls `requests.get(...)` without a retry policy")
    assert "retry_policy=dg.RetryPolicy(max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL)" in findings[0].message


@pytest.mark.parametrize(
    "job",
    [
        'rates_job = dg.define_asset_job("rates_job", op_retry_policy=dg.RetryPolicy(max_retries=3, delay=10))',
        'rates_job = dg.define_asset_job("rates_job", tags={"dagster/max_retries": "3"})',
        'rates_job = dg.define_asset_job("rates_job", run_tags={"dagster/retry_strategy": "FROM_FAILURE"})',
        "@dg.job(op_retry_policy=dg.RetryPolicy(max_retries=3, delay=10))\ndef rates_job():\n    rates()",
    ],
    ids=["op_retry_policy", "max_retries_tag", "retry_strategy_tag", "job_decorator"],
)
def test_retry_set_on_a_job_in_the_module_silences_dag402(job):
    assert lint_source(NETWORK_ASSET + "\n\n" + job + "\n", "pipeline/assets.py", enabled={"DAG402"}) == []


def test_job_with_explicit_no_policy_does_not_silence_dag402():
    job = 'rates_job = dg.define_asset_job("rates_job", op_retry_policy=None)\n'
    findings = lint_source(NETWORK_ASSET + "\n\n" + job, "pipeline/assets.py", enabled={"DAG402"})
    assert [f.line for f in findings] == [6]


def test_dagster_prefix_follows_the_module_imports():
    source = NETWORK_ASSET.replace("import dagster as dg", "from dagster import asset").replace("@dg.asset", "@asset")
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG402"})
    assert "retry_policy=RetryPolicy(max_retries=3, delay=10, backoff=Backoff.EXPONENTIAL)" in findings[0].message


TEST_PATHS = ["tests/test_assets.py", "tests/conftest.py", "pipeline/assets_test.py"]

IN_TESTS = {
    "DAG402": NETWORK_ASSET,
    "DAG403": "import dagster as dg\n\npolicy = dg.RetryPolicy(max_retries=3)\n",
    "DAG404": """\
import dagster as dg
from datetime import date, timedelta

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=daily)
def orders(context, shop: ShopResource):
    return shop.orders(since=date.today() - timedelta(days=1))
""",
    "DAG405": """\
import dagster as dg


@dg.asset
def orders(warehouse: WarehouseResource, frame):
    frame.to_sql("orders", warehouse.engine(), if_exists="append")
""",
    "DAG407": NETWORK_ASSET.replace(", timeout=30", ""),
}


@pytest.mark.parametrize("code", sorted(IN_TESTS))
def test_reported_in_pipeline_modules(code):
    findings = lint_source(IN_TESTS[code], "pipeline/assets.py", enabled={code})
    assert [f.code for f in findings] == [code]


@pytest.mark.parametrize("path", TEST_PATHS)
@pytest.mark.parametrize("code", sorted(IN_TESTS))
def test_quiet_in_test_modules(code, path):
    # Tests build throwaway assets against fakes: retries, clocks and appends are theirs to choose.
    assert lint_source(IN_TESTS[code], path, enabled={code}) == []


def test_process_exit_reported_in_test_modules_too():
    # An exit inside an asset body ends the test process as well.
    source = "import sys\n\nimport dagster as dg\n\n\n@dg.asset\ndef a():\n    sys.exit(1)\n"
    assert [f.line for f in lint_source(source, "tests/test_assets.py", enabled={"DAG406"})] == [8]


def test_wall_clock_message_for_scheduled_asset_names_the_schedule():
    source = """\
import dagster as dg
from datetime import date, timedelta


@dg.asset
def orders(shop: ShopResource):
    return shop.orders(since=date.today() - timedelta(days=1))


@dg.schedule(target=[orders], cron_schedule="0 2 * * *")
def nightly_orders(context):
    return dg.RunRequest()
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG404"})
    assert [f.line for f in findings] == [7]
    assert "schedule `nightly_orders`" in findings[0].message


@pytest.mark.parametrize(
    ("decorator", "advice"),
    [
        ("@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date='2024-01-01'))", "the partition's rows"),
        ("@dg.asset", "what it replaces"),
    ],
)
def test_append_fix_speaks_of_partitions_only_for_partitioned_assets(decorator, advice):
    # An unpartitioned op or asset has no partition to delete: the fix names what it replaces.
    source = f"""\
import dagster as dg


{decorator}
def orders(warehouse: WarehouseResource):
    warehouse.execute("INSERT INTO orders SELECT * FROM staging")
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG405"})
    assert [f.line for f in findings] == [6]
    assert advice in findings[0].message
    assert ("partition" in findings[0].message) == ("partitions_def" in decorator)
