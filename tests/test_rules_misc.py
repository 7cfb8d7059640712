"""Rule behaviour that a fixture file cannot show (it depends on the file's path)."""

from __future__ import annotations

import pytest

from dagster_lint.engine import lint_source

HARDCODED = """\
import dagster as dg


class ShopApiResource(dg.ConfigurableResource):
    api_key: str


shop_api = ShopApiResource(api_key="sk_test_51HxQ2b9aVm3")
"""


@pytest.mark.parametrize("path", ["tests/test_resources.py", "tests/conftest.py", "pipeline/resources_test.py"])
def test_hardcoded_secret_quiet_in_test_modules(path):
    # Tests pass fake credentials to resources on purpose.
    assert lint_source(HARDCODED, path, enabled={"DAG301"}) == []


def test_hardcoded_secret_reported_in_pipeline_modules():
    findings = lint_source(HARDCODED, "pipeline/resources.py", enabled={"DAG301"})
    assert [(f.code, f.line) for f in findings] == [("DAG301", 8)]
    assert findings[0].message.startswith("`api_key` of `ShopApiResource` is set to a secret")
    assert 'dg.EnvVar("SHOP_API_KEY")' in findings[0].message


ENV_AT_LOAD = """\
import os

import dagster as dg


class WarehouseResource(dg.ConfigurableResource):
    password: str


warehouse = WarehouseResource(password=os.getenv("WAREHOUSE_PASSWORD"))
"""


def test_env_read_at_definition_quiet_in_test_modules():
    # A test builds its resources itself, from its own environment; no UI displays them.
    assert lint_source(ENV_AT_LOAD, "tests/test_warehouse.py", enabled={"DAG302"}) == []


def test_env_read_at_definition_reported_in_pipeline_modules():
    findings = lint_source(ENV_AT_LOAD, "pipeline/definitions.py", enabled={"DAG302"})
    assert [(f.code, f.line) for f in findings] == [("DAG302", 10)]
    assert findings[0].message.startswith('`os.getenv("WAREHOUSE_PASSWORD")` sets `password` of `WarehouseResource`')
