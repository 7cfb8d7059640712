"""Performance rules whose behaviour depends on the file's path (test modules)."""

from __future__ import annotations

import pytest

from dagster_lint.engine import lint_source

TEST_PATHS = ["tests/test_assets.py", "tests/conftest.py", "pipeline/assets_test.py", "tests/helpers.py"]

SOURCES = {
    "DAG601": """\
import dagster as dg


@dg.asset
def upstream():
    return 1


@dg.asset
def downstream(upstream):
    return 2
""",
    "DAG602": """\
import dagster as dg


@dg.asset
def upstream():
    return 1


@dg.asset
def downstream(upstream):
    return upstream
""",
    "DAG603": """\
import dagster as dg


@dg.asset
def orders(mongo: MongoResource, rows: list[dict]):
    collection = mongo.collection("orders")
    for row in rows:
        collection.insert_one(row)
""",
    "DAG604": """\
import time

import dagster as dg


@dg.asset
def slow(drop: DropResource):
    time.sleep(5)
    return drop.read("orders.csv")
""",
    "DAG605": """\
import dagster as dg


@dg.asset
def orders():
    return 1


defs = dg.Definitions(assets=[orders], resources={"io_manager": dg.mem_io_manager})
""",
}


@pytest.mark.parametrize("code", sorted(SOURCES))
@pytest.mark.parametrize("path", TEST_PATHS)
def test_quiet_in_test_modules(code, path):
    # Tests build throwaway assets, slow steps and in-memory storage on purpose.
    assert lint_source(SOURCES[code], path, enabled={code}) == []


@pytest.mark.parametrize("code", sorted(SOURCES))
def test_reported_in_pipeline_modules(code):
    findings = lint_source(SOURCES[code], "pipeline/definitions.py", enabled={code})
    assert [f.code for f in findings] == [code]
