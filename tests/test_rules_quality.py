"""Quality rules whose behaviour depends on the file's path (test module or not)."""

from __future__ import annotations

import pytest

from dagster_lint.engine import lint_source

UNCHECKED_RUN = """\
import dagster as dg

from shop.assets import orders


def test_orders():
    dg.materialize([orders], raise_on_error=False)
"""

ASSERTING_ASSET = """\
import dagster as dg


@dg.asset
def orders():
    rows = [{"id": 1}]
    assert len(rows) > 0
    return rows
"""

TEST_PATHS = ["tests/test_assets.py", "tests/conftest.py", "pipeline/assets_test.py"]


@pytest.mark.parametrize("path", TEST_PATHS)
def test_unchecked_run_reported_in_test_modules(path):
    findings = lint_source(UNCHECKED_RUN, path, enabled={"DAG508"})
    assert [(f.code, f.line) for f in findings] == [("DAG508", 7)]
    assert "`materialize(...)`" in findings[0].message


def test_unchecked_run_quiet_outside_tests():
    # A script that runs the assets is not a test: nothing pretends to check them.
    assert lint_source(UNCHECKED_RUN, "pipeline/run_local.py", enabled={"DAG508"}) == []


@pytest.mark.parametrize("path", TEST_PATHS)
def test_assets_in_test_modules_are_not_reported(path):
    # Assets defined in tests are test doubles: asserts and missing annotations are fine there.
    assert lint_source(ASSERTING_ASSET, path, enabled={"DAG504", "DAG506"}) == []


def test_asserting_asset_reported_in_pipeline_modules():
    findings = lint_source(ASSERTING_ASSET, "pipeline/assets.py", enabled={"DAG504", "DAG506"})
    assert sorted((f.code, f.line) for f in findings) == [("DAG504", 7), ("DAG506", 5)]
    dag506 = next(f for f in findings if f.code == "DAG506")
    assert "`-> list`" in dag506.message
