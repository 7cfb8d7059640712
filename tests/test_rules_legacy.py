"""Messages of DAG805, DAG806 and DAG808, and the writers DAG808 recognises."""

from __future__ import annotations

import textwrap

import pytest

from dagster_lint.engine import lint_source
from dagster_lint.knowledge import PERSISTENT_WRITE_CALLS, PERSISTENT_WRITE_METHODS


def _lint(source: str, code: str):
    return lint_source(textwrap.dedent(source), "pipeline/defs.py", enabled={code})


def test_repository_message_spells_out_the_definitions_call():
    findings = _lint(
        """\
        import dagster as dg

        @dg.op
        def extract(): ...

        @dg.job
        def nightly():
            extract()

        hourly = dg.ScheduleDefinition(job=nightly, cron_schedule="0 * * * *")
        orders_job = dg.define_asset_job("orders_job", selection="orders")

        @dg.repository
        def repo():
            return [nightly, hourly, orders_job]
        """,
        "DAG805",
    )
    assert [(f.line, f.col) for f in findings] == [(14, 0)]
    assert findings[0].message.endswith("write `defs = dg.Definitions(jobs=[nightly, orders_job], schedules=[hourly])`")


def test_repository_returning_unknown_names_gets_the_general_advice():
    findings = _lint(
        """\
        from dagster import repository
        from elsewhere import nightly

        @repository
        def repo():
            return [nightly]
        """,
        "DAG805",
    )
    assert "`defs = Definitions(assets=[...], jobs=[...], schedules=[...], sensors=[...])`" in findings[0].message


def test_legacy_resource_is_reported_once_per_definition_with_its_keys():
    findings = _lint(
        """\
        import dagster as dg

        @dg.op(config_schema={"limit": int}, required_resource_keys={"warehouse"})
        def fetch(context):
            rows = context.resources.warehouse.query(context.op_config["limit"])
            return rows[: context.op_config["limit"]]
        """,
        "DAG806",
    )
    assert len(findings) == 1 and findings[0].line == 4
    message = findings[0].message
    assert message.startswith(
        'op `fetch` uses `config_schema=`, `context.op_config` and `required_resource_keys={"warehouse"}`'
    )
    assert "`class FetchConfig(dg.Config)` with fields `limit`" in message
    assert "`warehouse: WarehouseResource`" in message


def test_resource_parameter_takes_the_class_the_body_annotates():
    findings = _lint(
        """\
        import dagster as dg

        @dg.asset(required_resource_keys={"hub"})
        def refresh(context):
            hub: HvrHubResource = context.resources.hub
            hub.refresh()
        """,
        "DAG806",
    )
    assert "(`hub: HvrHubResource`)" in findings[0].message


def test_resource_function_building_a_module_class_asks_to_convert_that_class():
    findings = _lint(
        """\
        import dagster as dg

        class SqlServer:
            def __init__(self, conn_id): ...

        @dg.resource(config_schema={"conn_id": str})
        def sql_server(init_context):
            conn = SqlServer(init_context.resource_config["conn_id"])
            yield conn
        """,
        "DAG806",
    )
    assert "make `SqlServer` a `dg.ConfigurableResource` subclass with typed fields `conn_id`" in findings[0].message


def test_function_style_io_manager_names_the_class_to_write():
    findings = _lint(
        """\
        from dagster import io_manager

        @io_manager(config_schema={"base_dir": str})
        def parquet_io_manager(init_context): ...
        """,
        "DAG806",
    )
    assert "write `class ParquetIOManager(ConfigurableIOManager)` with typed fields `base_dir`" in findings[0].message


def test_op_based_job_is_off_by_default_and_reported_once_per_job():
    source = """\
        import dagster as dg

        @dg.op
        def load(rows):
            rows.to_parquet("s3://bucket/orders.parquet")

        @dg.op
        def extract(): ...

        @dg.job
        def nightly():
            load(extract())
            load.alias("again")(extract())
        """
    assert "DAG808" not in {f.code for f in lint_source(textwrap.dedent(source), "pipeline/defs.py")}
    findings = _lint(source, "DAG808")
    assert [(f.line, f.code) for f in findings] == [(11, "DAG808")]
    assert "(`load` writes with `to_parquet(...)`)" in findings[0].message


def test_a_typed_resource_parameter_that_writes_makes_an_op_persistent():
    findings = _lint(
        """\
        import dagster as dg

        class WarehouseResource(dg.ConfigurableResource):
            def upsert_rows(self, rows): ...

        @dg.op
        def save(warehouse: WarehouseResource, rows):
            warehouse.upsert_rows(rows)

        @dg.op
        def peek(warehouse: WarehouseResource, rows):
            warehouse.preview(rows)

        @dg.job
        def nightly():
            save()

        @dg.job
        def reads_only():
            peek()
        """,
        "DAG808",
    )
    assert [f.line for f in findings] == [15]
    assert "(`save` writes through resource `warehouse` (`upsert_rows(...)`))" in findings[0].message


@pytest.mark.parametrize("method", sorted(PERSISTENT_WRITE_METHODS))
def test_each_write_method_makes_an_op_persistent(method):
    findings = _lint(
        f"""\
        import dagster as dg

        @dg.op
        def save(context, target):
            target.{method}("destination")

        @dg.job
        def nightly():
            save()
        """,
        "DAG808",
    )
    assert [f.line for f in findings] == [8], method


@pytest.mark.parametrize("qualname", sorted(PERSISTENT_WRITE_CALLS))
def test_each_write_function_makes_an_op_persistent(qualname):
    module, name = qualname.rsplit(".", 1)
    findings = _lint(
        f"""\
        import dagster as dg
        from {module} import {name}

        @dg.op
        def save(rows, fh):
            {name}(rows, fh)

        @dg.job
        def nightly():
            save()
        """,
        "DAG808",
    )
    assert [f.line for f in findings] == [9], qualname
    assert f"`{qualname}(...)`" in findings[0].message


@pytest.mark.parametrize(
    ("statement", "persistent"),
    [
        ("INSERT INTO orders SELECT * FROM staging", True),
        ("  create or replace table orders as select 1", True),
        ("COPY INTO orders FROM @stage", True),
        ("update orders set paid = true", True),
        ("SELECT * FROM orders", False),
        ("DELETE FROM orders WHERE old", False),
        ("exec sp_retention ?", False),
    ],
)
def test_sql_statements_that_write(statement, persistent):
    findings = _lint(
        f"""\
        import dagster as dg

        @dg.op
        def run(context, cursor):
            cursor.execute({statement!r})

        @dg.job
        def nightly():
            run()
        """,
        "DAG808",
    )
    assert bool(findings) is persistent
