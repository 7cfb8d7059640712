"""Each name in dagster_lint/knowledge.py is recognised by the rule that uses it."""

from __future__ import annotations

import pytest

from dagster_lint.engine import lint_source
from dagster_lint.knowledge import CLIENT_CONSTRUCTORS


def _import_forms(qualname: str) -> list[tuple[str, str]]:
    """(import statement, call expression) pairs that resolve to `qualname`.

    `google.cloud.bigquery.Client` -> `import google.cloud.bigquery` + `google.cloud.bigquery.Client`,
    and `from google.cloud.bigquery import Client` + `Client`.
    """
    parts = qualname.split(".")
    # The module ends before the first class name, or before the function.
    split = next((i for i, p in enumerate(parts) if i > 0 and p[0].isupper()), len(parts) - 1)
    module, attrs = ".".join(parts[:split]), parts[split:]
    return [
        (f"import {module}", qualname),
        (f"from {module} import {attrs[0]}", ".".join(attrs)),
    ]


CLIENT_CASES = [
    pytest.param(statement, call, id=f"{name}:{'from' if statement.startswith('from') else 'import'}")
    for name in sorted(CLIENT_CONSTRUCTORS)
    for statement, call in _import_forms(name)
]


@pytest.mark.parametrize(("statement", "call"), CLIENT_CASES)
def test_client_constructor_in_asset_is_reported(statement, call):
    source = f"""\
import dagster as dg
{statement}


@dg.asset
def orders():
    handle = {call}("prod")
    return handle
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG304"})
    assert [(f.code, f.line) for f in findings] == [("DAG304", 7)], findings
    assert f"`{call}(...)`" in findings[0].message


@pytest.mark.parametrize(("statement", "call"), CLIENT_CASES)
def test_client_constructor_in_resource_method_is_quiet(statement, call):
    source = f"""\
import dagster as dg
{statement}


class Orders(dg.ConfigurableResource):
    def client(self):
        return {call}("prod")
"""
    assert lint_source(source, "pipeline/resources.py", enabled={"DAG304"}) == []


# --- DAG604: SLEEP_CALLS ------------------------------------------------------------------

from dagster_lint.knowledge import (  # noqa: E402
    PER_RECORD_WRITE_METHODS,
    ROW_ITERATION_METHODS,
    ROW_LOOP_WRITE_METHODS,
    SLEEP_CALLS,
    SQL_EXECUTE_METHODS,
)

SLEEP_CASES = [
    pytest.param(statement, call, id=f"{name}:{'from' if statement.startswith('from') else 'import'}")
    for name in sorted(SLEEP_CALLS)
    for statement, call in _import_forms(name)
]


@pytest.mark.parametrize(("statement", "call"), SLEEP_CASES)
def test_sleep_call_in_asset_is_reported(statement, call):
    awaited = "" if call.endswith(("time.sleep", "gevent.sleep")) or call == "sleep" else "await "
    source = f"""\
import dagster as dg
{statement}


@dg.asset
async def partner_file(drop: DropResource):
    {awaited}{call}(30)
    return drop.read("orders.csv")
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG604"})
    assert [(f.code, f.line) for f in findings] == [("DAG604", 7)], findings
    assert f"`{call}(30)`" in findings[0].message


@pytest.mark.parametrize(("statement", "call"), SLEEP_CASES)
def test_sleep_call_in_helper_is_quiet(statement, call):
    source = f"""\
import dagster as dg
{statement}


def wait():
    {call}(30)
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG604"}) == []


# --- DAG604: STARTING_WORDS, STARTING_FIRST_WORDS -------------------------------------------

from dagster_lint.knowledge import STARTING_FIRST_WORDS, STARTING_WORDS  # noqa: E402

_WAIT_AFTER = """\
import time

import dagster as dg


@dg.asset
def exported(client: ExportClientResource):
    handle = client.{method}("orders")
    while client.status(handle) != "done":
        time.sleep(30)
    return client.download(handle)
"""


@pytest.mark.parametrize(
    "method",
    [f"export_{word}" for word in sorted(STARTING_WORDS)]
    + [f"{word}_export" for word in sorted(STARTING_WORDS | STARTING_FIRST_WORDS)]
    + [f"{word}Export" for word in sorted(STARTING_FIRST_WORDS)],
)
def test_waiting_for_work_the_body_started_is_quiet(method):
    assert lint_source(_WAIT_AFTER.format(method=method), "pipeline/assets.py", enabled={"DAG604"}) == []


@pytest.mark.parametrize("method", [f"get_{word}" for word in sorted(STARTING_FIRST_WORDS)] + ["lookup"])
def test_waiting_after_a_lookup_is_reported(method):
    # Only the first word of the name counts for these verbs: `get_run` looks a run up.
    findings = lint_source(_WAIT_AFTER.format(method=method), "pipeline/assets.py", enabled={"DAG604"})
    assert [(f.code, f.line) for f in findings] == [("DAG604", 10)], findings


# --- DAG603: write methods -----------------------------------------------------------------


@pytest.mark.parametrize("method", sorted(PER_RECORD_WRITE_METHODS))
def test_per_record_write_in_loop_is_reported(method):
    source = f"""\
import dagster as dg


@dg.asset
def events(store: StoreResource, records: list[dict]):
    target = store.target()
    for record in records:
        target.{method}(record)
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG603"})
    assert [(f.code, f.line) for f in findings] == [("DAG603", 8)], findings
    assert PER_RECORD_WRITE_METHODS[method] in findings[0].message


@pytest.mark.parametrize("method", sorted(PER_RECORD_WRITE_METHODS))
def test_per_record_write_outside_loop_is_quiet(method):
    source = f"""\
import dagster as dg


@dg.asset
def events(store: StoreResource, record: dict):
    store.target().{method}(record)
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG603"}) == []


@pytest.mark.parametrize("method", sorted(SQL_EXECUTE_METHODS))
def test_sql_execute_in_loop_is_reported(method):
    source = f"""\
import dagster as dg


@dg.asset
def orders(warehouse: WarehouseResource, rows: list[tuple]):
    cursor = warehouse.get_connection().cursor()
    for row in rows:
        cursor.{method}("INSERT INTO orders VALUES (%s, %s)", row)
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG603"})
    assert [(f.code, f.line) for f in findings] == [("DAG603", 8)], findings


@pytest.mark.parametrize("iteration", sorted(ROW_ITERATION_METHODS))
@pytest.mark.parametrize("method", sorted(ROW_LOOP_WRITE_METHODS))
def test_row_loop_write_is_reported_only_over_rows(method, iteration):
    template = """\
import dagster as dg


@dg.asset
def orders(orders_table: TableResource, frame):
    for row in {iterable}:
        orders_table.{method}(row)
"""
    over_rows = template.format(iterable=f"frame.{iteration}()", method=method)
    findings = lint_source(over_rows, "pipeline/assets.py", enabled={"DAG603"})
    assert [(f.code, f.line) for f in findings] == [("DAG603", 7)], findings
    assert ROW_LOOP_WRITE_METHODS[method] in findings[0].message
    over_tables = template.format(iterable="frame.tables", method=method)
    assert lint_source(over_tables, "pipeline/assets.py", enabled={"DAG603"}) == []


# --- DAG402 / DAG407: NETWORK_CALLS and HTTP helpers -----------------------------------------

from dagster_lint.knowledge import (  # noqa: E402
    APPEND_FILE_MODES,
    APPEND_WRITE_KEYWORDS,
    FILE_MODE_WRITERS,
    HTTP_METHODS,
    HTTP_MOCK_LIBRARIES,
    LOCAL_CLIENT_CONSTRUCTORS,
    NETWORK_CALLS,
    REPLACING_METHODS,
    REPLACING_WRITE_KEYWORDS,
    REQUESTS_SESSION_CONSTRUCTORS,
    RETRY_LIBRARIES,
    TIME_DELTA_CALLS,
    WALL_CLOCK_CALLS,
)


def _form_id(name: str, statement: str) -> str:
    return f"{name}:{'from' if statement.startswith('from') else 'import'}"


NETWORK_CASES = [
    pytest.param(statement, call, id=_form_id(name, statement))
    for name in sorted(NETWORK_CALLS)
    for statement, call in _import_forms(name)
]


@pytest.mark.parametrize(("statement", "call"), NETWORK_CASES)
def test_network_call_without_retry_policy_is_reported(statement, call):
    source = f"""\
import dagster as dg
{statement}


@dg.asset
def rates():
    return {call}("https://api.example.com/rates", timeout=30)
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG402"})
    assert [(f.code, f.line) for f in findings] == [("DAG402", 6)], findings
    assert f"`{call}(...)`" in findings[0].message


@pytest.mark.parametrize(("statement", "call"), NETWORK_CASES)
def test_network_call_with_retry_policy_is_quiet(statement, call):
    source = f"""\
import dagster as dg
{statement}


@dg.asset(retry_policy=dg.RetryPolicy(max_retries=3, delay=10))
def rates():
    return {call}("https://api.example.com/rates", timeout=30)
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG402"}) == []


HTTP_CALL_CASES = [case for case in NETWORK_CASES if case.id.startswith(("requests.", "httpx."))]


@pytest.mark.parametrize(("statement", "call"), HTTP_CALL_CASES)
def test_http_call_timeout(statement, call):
    template = f"""\
import dagster as dg
{statement}


@dg.asset
def rates():
    return {call}("https://api.example.com/rates"{{extra}})
"""
    without = lint_source(template.format(extra=""), "pipeline/assets.py", enabled={"DAG407"})
    with_none = lint_source(template.format(extra=", timeout=None"), "pipeline/assets.py", enabled={"DAG407"})
    with_value = lint_source(template.format(extra=", timeout=30"), "pipeline/assets.py", enabled={"DAG407"})
    # requests has no default timeout; httpx has one (5 s) unless `timeout=None` turns it off.
    requests_call = "requests" in statement
    assert [f.line for f in without] == ([7] if requests_call else [])
    assert [f.line for f in with_none] == ([] if requests_call else [7])
    assert with_value == []


@pytest.mark.parametrize("name", sorted(LOCAL_CLIENT_CONSTRUCTORS))
def test_local_client_is_not_a_network_call(name):
    module, func = name.rsplit(".", 1)
    source = f"""\
import dagster as dg
import {module}


@dg.asset
def local_rows():
    return {name}("analytics.db")
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG402"}) == []


def _import_statement(qualname: str) -> tuple[str, str]:
    """An import of a module or class, and the name the code then uses for it."""
    module, last = qualname.rsplit(".", 1) if "." in qualname else ("", qualname)
    if last[:1].isupper():
        return f"from {module} import {last}", last
    if module:
        return f"from {module} import {last}", last
    return f"import {qualname}", qualname


@pytest.mark.parametrize("library", sorted(RETRY_LIBRARIES))
def test_retry_library_silences_missing_retry_policy(library):
    statement, _ = _import_statement(library)
    source = f"""\
import dagster as dg
import requests
{statement}


@dg.asset
def rates():
    return requests.get("https://api.example.com/rates", timeout=30)
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG402"}) == []


@pytest.mark.parametrize("library", sorted(HTTP_MOCK_LIBRARIES))
def test_mocked_http_is_quiet(library):
    source = f"""\
import dagster as dg
import requests
import {library}


@dg.asset
def rates():
    return requests.get("https://api.example.com/rates")
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG402", "DAG407"}) == []


@pytest.mark.parametrize("method", sorted(HTTP_METHODS))
@pytest.mark.parametrize("constructor", sorted(REQUESTS_SESSION_CONSTRUCTORS))
def test_session_request_without_timeout_is_reported(constructor, method):
    statement, call = _import_statement(constructor)
    source = f"""\
import dagster as dg
{statement}


@dg.asset
def rates():
    http = {call}()
    return http.{method}("https://api.example.com/rates")
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG407"})
    assert [(f.code, f.line) for f in findings] == [("DAG407", 8)], findings
    with_timeout = source.replace('/rates")', '/rates", timeout=30)')
    assert lint_source(with_timeout, "pipeline/assets.py", enabled={"DAG407"}) == []


# --- DAG404: WALL_CLOCK_CALLS and TIME_DELTA_CALLS ------------------------------------------


def _clock_import(qualname: str) -> tuple[str, str]:
    """`datetime.datetime.now` -> ("from datetime import datetime", "datetime.now")."""
    parts = qualname.split(".")
    if len(parts) == 2:
        return f"import {parts[0]}", qualname
    owner = ".".join(parts[:-2]) or parts[0]
    return f"from {owner} import {parts[-2]}", ".".join(parts[-2:])


@pytest.mark.parametrize("name", sorted(WALL_CLOCK_CALLS))
def test_wall_clock_window_in_partitioned_asset_is_reported(name):
    statement, call = _clock_import(name)
    source = f"""\
import dagster as dg
{statement}

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=daily)
def orders(context, shop: ShopResource):
    return shop.orders(since={call}())
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG404"})
    assert [(f.code, f.line) for f in findings] == [("DAG404", 9)], findings
    logged = source.replace("return shop.orders(since=", "context.log.info(").replace("())", "())\n    return 1")
    assert lint_source(logged, "pipeline/assets.py", enabled={"DAG404"}) == []


@pytest.mark.parametrize("name", sorted(TIME_DELTA_CALLS))
def test_clock_shifted_by_time_span_is_a_window(name):
    statement, call = _import_statement(name)
    source = f"""\
import dagster as dg
from datetime import date
{statement}

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=daily)
def orders(context, shop: ShopResource):
    return shop.orders(date.today() - {call}(days=1))
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG404"})
    assert [(f.code, f.line) for f in findings] == [("DAG404", 10)], findings


# --- DAG405: append and replace patterns -----------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "value"), sorted((k, v) for k, values in APPEND_WRITE_KEYWORDS.items() for v in values)
)
def test_append_keyword_is_reported(keyword, value):
    source = f"""\
import dagster as dg


@dg.asset
def orders(warehouse: WarehouseResource, frame):
    warehouse.write(frame, "orders", {keyword}="{value}")
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG405"})
    assert [(f.code, f.line) for f in findings] == [("DAG405", 6)], findings


@pytest.mark.parametrize("mode", sorted(APPEND_FILE_MODES))
@pytest.mark.parametrize("writer", sorted(FILE_MODE_WRITERS))
def test_append_file_mode_is_reported(writer, mode):
    source = f"""\
import dagster as dg


@dg.asset
def export(frame):
    frame.{writer}("/data/export.csv", mode="{mode}")
"""
    findings = lint_source(source, "pipeline/assets.py", enabled={"DAG405"})
    assert [(f.code, f.line) for f in findings] == [("DAG405", 6)], findings
    call = f'frame.{writer}("/data/export.csv", mode="{mode}")'
    builtin = source.replace(call, f'open("/data/export.csv", "{mode}")')
    assert [f.line for f in lint_source(builtin, "pipeline/assets.py", enabled={"DAG405"})] == [6]


APPEND = """\
import dagster as dg


@dg.asset
def orders(warehouse: WarehouseResource, frame):
    {before}
    frame.to_sql("orders", warehouse.engine(), if_exists="append")
"""


@pytest.mark.parametrize(
    ("keyword", "value"), sorted((k, v) for k, values in REPLACING_WRITE_KEYWORDS.items() for v in values)
)
def test_replacing_keyword_makes_append_quiet(keyword, value):
    source = APPEND.format(before=f'warehouse.write(frame, "orders_full", {keyword}="{value}")')
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG405"}) == []


@pytest.mark.parametrize("method", sorted(REPLACING_METHODS))
def test_replacing_method_makes_append_quiet(method):
    source = APPEND.format(before=f'warehouse.table("orders").{method}("day = 1")')
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG405"}) == []


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM orders WHERE day = 1",
        "MERGE INTO orders USING staging ON orders.id = staging.id",
        "TRUNCATE TABLE orders",
        "INSERT OVERWRITE TABLE orders SELECT * FROM staging",
        "INSERT OR REPLACE INTO orders SELECT * FROM staging",
        "INSERT OR IGNORE INTO orders SELECT * FROM staging",
        "REPLACE INTO orders SELECT * FROM staging",
        "INSERT INTO orders SELECT * FROM staging ON CONFLICT DO NOTHING",
        "INSERT INTO orders SELECT * FROM staging ON DUPLICATE KEY UPDATE total = total",
        "CREATE OR REPLACE TABLE orders AS SELECT * FROM staging",
        "DROP TABLE IF EXISTS orders",
        "CREATE TEMPORARY TABLE batch AS SELECT 1",
        "INSERT INTO orders SELECT * FROM staging s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = s.id)",
        "INSERT INTO orders SELECT * FROM staging EXCEPT SELECT * FROM orders",
    ],
)
def test_replacing_sql_makes_append_quiet(statement):
    source = APPEND.format(before=f'warehouse.execute("{statement}")')
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG405"}) == []


# --- DAG702: METADATA_RECORDING_IO_MANAGERS ------------------------------------------------

from dagster_lint.knowledge import METADATA_RECORDING_IO_MANAGERS  # noqa: E402

_DEFAULT_IO_MANAGER = """\
import dagster as dg
{statement}


@dg.asset
def orders():
    return [1, 2, 3]


defs = dg.Definitions(assets=[orders], resources={{"io_manager": {value}}})
"""


@pytest.mark.parametrize("qualname", sorted(METADATA_RECORDING_IO_MANAGERS))
def test_database_io_manager_as_default_keeps_dag702_quiet(qualname):
    module, name = qualname.rsplit(".", 1)
    value = f"{name}()" if name[0].isupper() else name
    source = _DEFAULT_IO_MANAGER.format(statement=f"from {module} import {name}", value=value)
    # Linted alone (an editor buffer): the module's own binding is what counts.
    assert lint_source(source, "-", enabled={"DAG702"}) == []


def test_filesystem_io_manager_as_default_reports_dag702():
    source = _DEFAULT_IO_MANAGER.format(statement="", value="dg.FilesystemIOManager()")
    findings = lint_source(source, "-", enabled={"DAG702"})
    assert [(f.code, f.line) for f in findings] == [("DAG702", 6)], findings


# --- DAG304 / DAG402: client constructors that the rules treat apart ---------------------------

from dagster_lint.knowledge import (  # noqa: E402
    CONNECT_LATER_CLIENTS,
    HTTP_SESSION_CONSTRUCTORS,
    SELF_RETRYING_CLIENTS,
    SERVICE_NAME_CLIENTS,
    UPSERTING_INSERT_DRIVERS,
)


def _cases(names):
    return [
        pytest.param(statement, call, id=_form_id(name, statement))
        for name in sorted(names)
        for statement, call in _import_forms(name)
    ]


def test_special_clients_are_client_constructors():
    special = HTTP_SESSION_CONSTRUCTORS | SERVICE_NAME_CLIENTS | SELF_RETRYING_CLIENTS | CONNECT_LATER_CLIENTS
    assert special <= CLIENT_CONSTRUCTORS


@pytest.mark.parametrize(("statement", "call"), _cases(CONNECT_LATER_CLIENTS))
def test_connect_call_holds_the_settings(statement, call):
    template = f"""\
import dagster as dg
{statement}


def build(host: str):
    @dg.asset
    def files():
        client = {call}()
        client.connect({{target}})
        return client

    return files
"""

    def lines(target: str) -> list[int]:
        source = template.format(target=target)
        return [f.line for f in lint_source(source, "pipeline/assets.py", enabled={"DAG304"})]

    assert lines("hostname=host") == []
    assert lines('"sftp.internal"') == [8]


@pytest.mark.parametrize(("statement", "call"), _cases(HTTP_SESSION_CONSTRUCTORS))
def test_bare_http_session_is_not_a_configured_client(statement, call):
    template = f"""\
import dagster as dg
{statement}


@dg.asset
def pages():
    session = {call}({{args}})
    return session
"""
    assert lint_source(template.format(args=""), "pipeline/assets.py", enabled={"DAG304"}) == []
    configured = lint_source(
        template.format(args='"https://shop.example"'), "pipeline/assets.py", enabled={"DAG304"}
    )
    assert [(f.code, f.line) for f in configured] == [("DAG304", 7)], configured


@pytest.mark.parametrize(("statement", "call"), _cases(SERVICE_NAME_CLIENTS))
def test_service_name_is_not_a_setting_in_a_factory(statement, call):
    template = f"""\
import dagster as dg
{statement}


def build(region: str):
    @dg.asset
    def archived():
        return {call}("s3"{{settings}})

    return archived
"""

    def lines(settings: str) -> list[int]:
        source = template.format(settings=settings)
        return [f.line for f in lint_source(source, "pipeline/assets.py", enabled={"DAG304"})]

    # Only the service name: the factory configures nothing about the client.
    assert lines("") == [8]
    # The factory's region: each instance of the factory connects where it says.
    assert lines(", region_name=region") == []
    # A literal endpoint is written in the code, factory or not.
    assert lines(', endpoint_url="http://localhost:4566"') == [8]


@pytest.mark.parametrize(("statement", "call"), _cases(SELF_RETRYING_CLIENTS))
def test_self_retrying_client_needs_no_retry_policy(statement, call):
    source = f"""\
import dagster as dg
{statement}


@dg.asset
def objects():
    return {call}("prod")
"""
    assert lint_source(source, "pipeline/assets.py", enabled={"DAG402"}) == []
    # Still a client created in the body.
    assert [f.code for f in lint_source(source, "pipeline/assets.py", enabled={"DAG304"})] == ["DAG304"]


@pytest.mark.parametrize("driver", sorted(UPSERTING_INSERT_DRIVERS))
def test_insert_through_upserting_driver_is_not_an_append(driver):
    template = """\
import dagster as dg
{statement}


@dg.asset
def events(store: StoreResource):
    store.session().execute("INSERT INTO events (id) VALUES (1)")
"""
    upserting = template.format(statement=f"import {driver}.cluster")
    assert lint_source(upserting, "pipeline/assets.py", enabled={"DAG405"}) == []
    plain = template.format(statement="import json")
    assert [f.line for f in lint_source(plain, "pipeline/assets.py", enabled={"DAG405"})] == [7]


from dagster_lint.knowledge import PROCESS_ENVIRONMENT_VARIABLES  # noqa: E402


@pytest.mark.parametrize("variable", sorted(PROCESS_ENVIRONMENT_VARIABLES))
def test_process_variable_read_in_asset_is_quiet(variable):
    template = """\
import os

import dagster as dg


@dg.asset
def where():
    return os.environ.get("{variable}")
"""
    assert lint_source(template.format(variable=variable), "pipeline/assets.py", enabled={"DAG305"}) == []
    setting = lint_source(template.format(variable="SHOP_REGION"), "pipeline/assets.py", enabled={"DAG305"})
    assert [(f.code, f.line) for f in setting] == [("DAG305", 8)], setting
