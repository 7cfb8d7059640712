"""DAG303 literal classification and the resource facts that DAG307/DAG308 read."""

from __future__ import annotations

import ast
import textwrap

import pytest

from dagster_lint.facts.resources import extract
from dagster_lint.model import build
from dagster_lint.project import build_index
from dagster_lint.rules.resources import _environment_bound, _location


@pytest.mark.parametrize(
    "field, value",
    [
        ("host", "localhost"),
        ("url", "postgresql://etl@127.0.0.1:5432/shop"),
        ("host", "db.prod.internal"),
        ("host", "192.168.1.20"),
        ("endpoint", "https://search.staging.acme.io"),
        ("database", "/home/alice/shop.duckdb"),
        ("database", "duckdb:////Users/bob/shop.duckdb"),
        ("project_dir", "C:\\Users\\bob\\dbt"),
        ("s3_bucket", "acme-analytics-prod"),
        ("root_uri", "s3://lake-dev/tables"),
        ("schema_name", "RAW_DEV"),
        ("target", "dev"),
    ],
)
def test_environment_bound_literals(field, value):
    assert _environment_bound(field, value) is not None


@pytest.mark.parametrize(
    "field, value",
    [
        ("host", "api.github.com"),
        ("base_url", "https://api.github.com/repos"),
        ("url", "https://api.example.com/prod/v1"),  # an API path, not a host
        ("database", "data/dev.duckdb"),
        ("database", "sqlite:///catalog.db"),
        ("schema", "staging"),  # dbt's layer
        ("region_name", "us-east-1"),
        ("database", "devices"),
        ("bind", "http://0.0.0.0:3000"),
        ("host", "${WAREHOUSE_HOST}"),
        ("description", "prod"),  # not a field that places data
    ],
)
def test_portable_literals(field, value):
    assert _environment_bound(field, value) is None


def _facts(source: str) -> dict:
    source = textwrap.dedent(source)
    return extract(build(ast.parse(source), source, "pipeline/definitions.py"))


def test_facts_read_literal_keys_through_constants_and_spreads():
    facts = _facts(
        """
        import dagster as dg
        from pipeline.resources import SHARED

        BASE = {"warehouse": WarehouseResource(url="x")}
        defs = dg.Definitions(resources={**BASE, **SHARED, "api": ApiResource(), **dict(cache=Cache())})
        """
    )
    (provided,) = [p for p in facts["provides"] if p["via"].startswith("`Definitions(resources")]
    assert set(provided["keys"]) == {"warehouse", "api", "cache"}
    assert provided["keys"]["warehouse"] == "WarehouseResource"
    assert provided["imports"] == ["pipeline.resources.SHARED"]
    assert "opaque" not in facts


@pytest.mark.parametrize(
    "resources",
    ["get_resources()", "by_env[ENV]", "{KEY: Warehouse()}", "RESOURCES"],
)
def test_facts_record_mappings_they_cannot_read(resources):
    facts = _facts(
        f"""
        import dagster as dg
        RESOURCES = {{"a": A()}}
        RESOURCES["b"] = B()
        defs = dg.Definitions(resources={resources})
        """
    )
    assert facts["opaque"], facts


def test_facts_requirements():
    facts = _facts(
        """
        import dagster as dg

        @dg.asset(required_resource_keys={"slack"}, io_manager_key="parquet_io")
        def orders(context, warehouse: WarehouseResource, upstream):
            context.resources.slack.post("x")
            context.resources.mailer.send("y")
        """
    )
    required = {(r["key"], r["via"]) for r in facts["requires"] if r["typed"]}
    assert required == {
        ("slack", "required_resource_keys"),
        ("slack", "context.resources"),
        ("mailer", "context.resources"),
        ("parquet_io", "io_manager_key"),
        ("warehouse", "parameter"),
    }


def test_location_resolves_mappings_imported_from_another_module(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "resources.py").write_text(
        "import dagster as dg\nSHARED = {'warehouse': dg.ResourceDefinition.none_resource()}\n"
    )
    (package / "definitions.py").write_text(
        "import dagster as dg\n"
        "from .resources import SHARED\n"
        "defs = dg.Definitions(resources={**SHARED, 'api': Api()})\n"
    )
    (package / "assets.py").write_text("import dagster as dg\n")
    index = build_index(tmp_path, use_cache=False)
    location = _location(index, index.entries[(package / "assets.py").resolve()])
    assert location is not None and location.opaque is None
    assert set(location.keys) == {"warehouse", "api"}
