"""Property-based robustness: mutated Dagster modules through the engine, the CLI's byte path
and the flake8 plugin, with every rule on. Nothing escapes, and no rule fails on them.

The modules are built from realistic templates: every decorator kind of `model.DECORATOR_KINDS`
under every import form, bare / called / with keyword arguments whose values are odd (lambdas,
starred and double-starred arguments, walrus, comprehensions, f-strings, calls), parameters of
every kind, bodies with try/except, loops, `match`, nested functions and classes, and module
level Definitions, jobs, schedules, resources and partitions. On top of that, the text or the
bytes are mutated: syntax of Python 3.12+ (PEP 695), missing bodies, CRLF, form feeds, a BOM,
NUL bytes, bytes that are not UTF-8, encoding cookies, truncation.

A rule that fails is a bug of that rule: fix it and keep the failing example as a regression
test below. The budget is set by the hypothesis profiles in conftest.py (CI: derandomized).
"""

from __future__ import annotations

import ast
import os
import tempfile

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dagster_lint import engine, model, runner
from dagster_lint.flake8 import DagsterLintPlugin
from dagster_lint.registry import RULES, Finding, Rule, load_rules

load_rules()
EVERY_RULE = frozenset(RULES)

# ----------------------------------------------------------------------------- strategies

IMPORT_FORMS = {
    "dg": ("import dagster as dg", lambda name: f"dg.{name}"),
    "dagster": ("import dagster", lambda name: f"dagster.{name}"),
    "from": (None, lambda name: name),  # `from dagster import asset, op, ...`
    "alias": (None, lambda name: f"{name}_"),  # `from dagster import asset as asset_`
}
DECORATORS = sorted(name.split(".", 1)[1] for name in model.DECORATOR_KINDS)
API = ["AssetIn", "AssetOut", "AssetKey", "AssetSpec", "AssetCheckResult", "AssetCheckSpec", "RetryPolicy", "Backoff",
       "DailyPartitionsDefinition", "StaticPartitionsDefinition", "EnvVar", "Definitions", "ConfigurableResource",
       "Config", "RunRequest", "SkipReason", "Output", "MaterializeResult", "AutomationCondition",
       "AutoMaterializePolicy", "ScheduleDefinition", "define_asset_job", "MetadataValue", "Failure", "In", "Out",
       "DynamicPartitionsDefinition", "TimeWindowPartitionsDefinition", "ResourceParam", "OpExecutionContext",
       "AssetExecutionContext", "SourceAsset", "with_resources", "load_assets_from_modules"]
KEYWORDS = ["deps", "ins", "outs", "specs", "partitions_def", "retry_policy", "description", "group_name", "key",
            "key_prefix", "name", "io_manager_key", "required_resource_keys", "auto_materialize_policy",
            "automation_condition", "compute_kind", "kinds", "check_specs", "asset", "assets", "cron_schedule",
            "job", "target", "minimum_interval_seconds", "execution_timezone", "default_status", "config_schema",
            "metadata", "tags", "owners", "non_argument_deps", "op_retry_policy", "resources", "jobs",
            "schedules", "sensors", "start_date", "end_date", "partition_key", "run_key", "blocking",
            "can_subset", "pool", "code_version", "output_required", "asset_key", "monitored_assets",
            "run_status", "request_job", "timeout", "file"]
NAMES = ["context", "config", "orders", "raw_orders", "df", "rows", "session", "cursor", "conn", "api", "warehouse",
         "x", "_", "self", "items", "result", "value", "os", "requests", "print", "datetime", "dg", "asset"]
ANNOTATIONS = ["dg.AssetExecutionContext", "OpExecutionContext", '"MyResource"', "dg.ResourceParam[str]",
               "pd.DataFrame", "None", "int", "list[dict]", "'Quoted[Thing'", "MyResource", "dg.Nothing",
               "Optional[str]"]
CALLS = ["requests.get('http://x')", "requests.post(url, json=payload)", "os.getenv('API_KEY')",
         "os.environ['TOKEN']", "time.sleep(5)", "datetime.now()", "print('hi', file=sys.stderr)",
         "context.log.info('x')", "cursor.execute('INSERT INTO t VALUES (%s)', (row,))", "df.to_sql('t', conn)",
         "sys.exit(1)", "logging.info('x')", "boto3.client('s3')", "pd.read_csv(path)", "conn.close()",
         "table.insert(row)", "context.partition_key", "context.resources.warehouse", "orders.append(1)",
         "dg.RunRequest(run_key=None)", "dg.AssetCheckResult(passed=False)", "subprocess.run(cmd)",
         "snowflake.connector.connect(password='hunter2')", "httpx.get(url, timeout=None)"]


def identifier():
    # A prefix keeps made-up names off the keywords; drawing them stays cheap.
    return st.sampled_from(NAMES) | st.text("abcxyz_019", min_size=1, max_size=5).map(lambda t: "v" + t)


@st.composite
def expression(draw, depth: int = 0):
    leaves = st.one_of(
        st.integers(-10, 10**12).map(str),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).map(repr),
        st.sampled_from(["None", "True", "...", "b'x'", "1.5", "1j", "'2024-01-01'", "'0 0 * * *'", "'* * *'",
                         "'61 * * * *'", "\"api_key\"", "f'{x}'", "f'{x!r:>{width}}'", "'''multi\nline'''"]),
        identifier(),
        st.sampled_from(CALLS),
        st.sampled_from(API).map(lambda name: f"dg.{name}"),
    )
    if depth > 1:
        return draw(leaves)
    sub = expression(depth + 1)
    atom = sub.map(lambda x: f"({x})")  # where a lambda or a conditional would not parse bare
    return draw(st.one_of(
        leaves,
        st.lists(sub, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(sub, sub), max_size=3).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
        st.tuples(st.sampled_from(API), st.lists(st.tuples(st.sampled_from(KEYWORDS), sub), max_size=3)).map(
            lambda c: f"dg.{c[0]}(" + ", ".join(f"{k}={v}" for k, v in c[1]) + ")"),
        st.tuples(identifier(), sub).map(lambda p: f"(lambda {p[0]}: {p[1]})"),
        st.tuples(identifier(), sub).map(lambda p: f"({p[0]} := {p[1]})"),
        st.tuples(sub, identifier(), atom).map(lambda p: f"[{p[0]} for {p[1]} in {p[2]}]"),
        st.tuples(atom, atom).map(lambda p: f"({p[0]} if {p[1]} else None)"),
        st.tuples(atom, st.sampled_from(["+", "-", "*", "/", "%", "|", "and", "or", "==", "is", "in"]), atom).map(
            lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(atom, sub).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.tuples(sub, identifier()).map(lambda p: f"({p[0]}).{p[1]}"),
        atom.map(lambda x: f"(not {x})"),
        atom.map(lambda x: f"(await {x})"),
    ))


def argument():
    return st.one_of(
        st.tuples(st.sampled_from(KEYWORDS), expression()).map(lambda kv: f"{kv[0]}={kv[1]}"),
        expression(),
        expression().map(lambda x: f"*({x})"),
        expression().map(lambda x: f"**({x})"),
    )


def call_arguments(arguments: list[str]) -> str:
    """Positional and `*` arguments first, as Python wants them."""
    keyword = [a for a in arguments if "=" in a.split("(")[0] or a.startswith("**")]
    return ", ".join([a for a in arguments if a not in keyword] + keyword)


@st.composite
def parameters(draw):
    params = []
    defaults = False
    for name in draw(st.lists(identifier(), max_size=4, unique=True)):
        text = name
        if draw(st.booleans()):
            text += f": {draw(st.sampled_from(ANNOTATIONS))}"
        if defaults or (params and draw(st.integers(0, 3)) == 0):
            text += f" = {draw(expression(2))}"  # every parameter after a default has one
            defaults = True
        params.append(text)
    extra = draw(st.sampled_from(["", "*args", "**kwargs", "*, flag=True", "/", "*args, **kwargs"]))
    if extra == "/" and (not params or defaults):
        extra = ""
    return ", ".join(p for p in [*params, extra] if p)


@st.composite
def statements(draw, indent: str, depth: int = 0):
    simple = st.one_of(
        st.just("pass"), st.just("..."), st.just("return"), st.just("raise"), st.just("break"),
        expression().map(lambda x: f"return {x}"),
        expression().map(lambda x: f"yield {x}"),
        expression().map(lambda x: f"yield from {x}"),
        st.sampled_from(CALLS),
        st.tuples(identifier(), expression()).map(lambda p: f"{p[0]} = {p[1]}"),
        st.tuples(identifier(), expression()).map(lambda p: f"{p[0]}.attr[0] += {p[1]}"),
        st.tuples(identifier(), st.sampled_from(ANNOTATIONS), expression()).map(lambda p: f"{p[0]}: {p[1]} = {p[2]}"),
        expression().map(lambda x: f"assert {x}, 'message'"),
        identifier().map(lambda n: f"del {n}"),
        identifier().map(lambda n: f"global {n}"),
        identifier().map(lambda n: f"nonlocal {n}"),
        st.just("import os, sys as system"),
        st.just("from .sibling import thing"),
        expression().map(lambda x: f"raise dg.Failure({x}) from None"),
    )
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        if depth >= 2 or draw(st.integers(0, 2)):
            lines.append(indent + draw(simple))
            continue
        inner = indent + "    "
        body = draw(statements(inner, depth + 1))
        head = draw(st.sampled_from([
            "try:", "for row in {e}:", "async for row in {e}:", "while {e}:", "if {e}:", "with {e} as conn:",
            "async with {e}:", "def helper({p}):", "async def helper({p}):", "class Inner({e}):", "match {e}:",
        ]))
        lines.append(indent + head.format(e=draw(expression(2)), p=draw(parameters())))
        if head.startswith("match"):
            pattern = draw(st.sampled_from(["1", "[x, *rest]", "{'k': v}", "Point(x=0)", "str() | None", "_",
                                            "x if x"]))
            lines.append(f"{inner}case {pattern}:")
            lines.extend("    " + line for line in body)
        else:
            lines.extend(body)
        if head == "try:":
            handler = draw(st.sampled_from(["except:", "except Exception as err:", "except (ValueError, Exception):",
                                            "except* OSError:", "finally:", "except BaseException:"]))
            lines.append(indent + handler)
            lines.extend(draw(statements(inner, depth + 1)))
    return lines


@st.composite
def definition(draw, form: str):
    _, spell = IMPORT_FORMS[form]
    name = draw(st.sampled_from(DECORATORS))
    decorator = "@" + spell(name)
    call = draw(st.sampled_from(["bare", "empty", "args"]))
    if call == "empty":
        decorator += "()"
    elif call == "args":
        decorator += "(" + call_arguments(draw(st.lists(argument(), max_size=4))) + ")"
    keyword = draw(st.sampled_from(["def", "async def"]))
    lines = [decorator, f"{keyword} {draw(identifier())}({draw(parameters())}):"]
    if draw(st.booleans()):
        lines.append('    """Docstring."""')
    lines.extend(draw(statements("    ")))
    return lines, name


@st.composite
def module_level(draw, form: str):
    _, spell = IMPORT_FORMS[form]
    template = draw(st.sampled_from([
        "defs = {dg}Definitions(assets=[{e}], resources={{'warehouse': {e}}}, jobs={e})",
        "job = {dg}define_asset_job('job', selection={e}, op_retry_policy={e})",
        "schedule = {dg}ScheduleDefinition(job=job, cron_schedule={e}, execution_timezone={e})",
        "daily = {dg}DailyPartitionsDefinition(start_date={e}, end_date={e})",
        "class Warehouse({dg}ConfigurableResource):\n    api_key: str = {e}\n"
        "    def query(self, sql):\n        return {e}",
        "class Settings({dg}Config):\n    path: str = {e}",
        "TOKEN = {e}",
        "{dg}Definitions.merge({e}, {e})",
        "if __name__ == '__main__':\n    {dg}materialize([{e}])",
        "lambda: {e}",
    ]))
    dg = "dg." if form == "dg" else "dagster." if form == "dagster" else ""
    text = template.replace("{dg}", dg)
    while "{e}" in text:
        text = text.replace("{e}", draw(expression(1)), 1)
    del spell
    return text.replace("{{", "{").replace("}}", "}").splitlines()


@st.composite
def dagster_module(draw) -> str:
    form = draw(st.sampled_from(sorted(IMPORT_FORMS)))
    header, _ = IMPORT_FORMS[form]
    blocks: list[list[str]] = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 3)):
            lines, name = draw(definition(form))
            used.add(name)
        else:
            lines = draw(module_level(form))
        blocks.append(lines)
    imports = ["import os, sys, time, logging, subprocess", "import requests, httpx, boto3", "import pandas as pd",
               "from datetime import datetime"]
    if header:
        imports.insert(0, header)
    else:
        suffix = " as {0}_" if form == "alias" else ""
        names = sorted(used | {"Definitions", "AssetIn"})
        imports.insert(0, "from dagster import " + ", ".join(n + suffix.format(n) if suffix else n for n in names))
    return "\n".join(imports) + "\n\n\n" + "\n\n\n".join("\n".join(b) for b in blocks) + "\n"


PY312 = ["type Alias = list[int]", "def generic[T](x: T) -> T:\n    return x", "class Box[T]:\n    item: T",
         "type Pair[K, V] = tuple[K, V]", "def f[**P, *Ts](*a: *Ts): ..."]


@st.composite
def mutated_text(draw) -> str:
    text = draw(dagster_module())
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        mutation = draw(st.sampled_from(["py312", "drop_body", "form_feed", "truncate", "deep", "tab", "comment"]))
        at = draw(st.integers(0, len(lines)))
        if mutation == "py312":
            lines[at:at] = draw(st.sampled_from(PY312)).split("\n")
        elif mutation == "drop_body" and at < len(lines):
            del lines[at]  # a decorator or def without its body, a dangling block
        elif mutation == "form_feed":
            lines[at:at] = ["\f"]
        elif mutation == "truncate":
            lines = lines[:at]
        elif mutation == "deep":
            depth = draw(st.integers(10, 150))
            lines[at:at] = ["nested = " + "[" * depth + "1" + "]" * depth]
        elif mutation == "tab" and at < len(lines):
            lines[at] = lines[at].replace("    ", "\t", 1)
        elif mutation == "comment" and at < len(lines):
            lines[at] += "  # noqa: DAG701 # type: ignore"
    return "\n".join(lines)


@st.composite
def mutated_bytes(draw) -> bytes:
    data = draw(mutated_text()).encode("utf-8", "surrogatepass")
    for mutation in draw(st.lists(st.sampled_from(["crlf", "cr", "bom", "nul", "latin1", "cookie", "bad_cookie",
                                                   "garbage"]), max_size=3)):
        if mutation == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif mutation == "cr":
            data = data.replace(b"\n", b"\r")
        elif mutation == "bom":
            data = b"\xef\xbb\xbf" + data
        elif mutation == "nul":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + b"\x00" + data[at:]
        elif mutation == "latin1":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + b"# caf\xe9\n" + data[at:]
        elif mutation == "cookie":
            data = b"# -*- coding: latin-1 -*-\n" + data + b"\n# caf\xe9\n"
        elif mutation == "bad_cookie":
            data = b"# coding: no-such-codec\n" + data
        elif mutation == "garbage":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


# ----------------------------------------------------------------------------- properties


def internal_errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code == "DAG000" and "internal error" in f.message]


@given(mutated_text())
def test_no_rule_fails_on_mutated_modules(text):
    findings = engine.lint_source(text, "pipeline/assets.py", enabled=EVERY_RULE)
    assert internal_errors(findings) == [], text
    for f in findings:
        assert f.code in RULES and f.line >= 1 and f.col >= 0 and f.message


@given(mutated_bytes())
def test_the_cli_byte_path_never_raises(data):
    findings = runner.lint_data(data, "pipeline/assets.py", EVERY_RULE)
    assert internal_errors(findings) == [], data
    if b"dagster" in data:
        try:
            engine.decode(data)
        except engine.UnreadableSource as exc:  # one finding says why, and nothing else runs
            assert [(f.code, f.message) for f in findings] == [("DAG000", str(exc))]


@given(mutated_text())
def test_the_flake8_plugin_never_raises(text):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # flake8 reports E999 itself and never calls plugins on such a file
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "assets.py")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as fh:
            fh.write(text)
        results = list(DagsterLintPlugin(tree, text.splitlines(keepends=True), path).run())
    assert not [r for r in results if "internal error" in r[2]], text


_CRASHER = "DAG099"


def _crashing_rule(model_):
    for d in model_.definitions:
        yield from ()
        node = d.node.body[0]  # noqa: F841 - a local the engine may point at; the definition wins
        raise KeyError("injected")
    raise ValueError("injected, no definition")


@given(dagster_module())
def test_a_crashing_rule_is_one_dag000_and_the_others_still_report(text):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        assume(False)
    module = model.build(tree, text, "pipeline/assets.py")
    assume(module.definitions or module.uses_dagster)
    before = engine.lint_source(text, "pipeline/assets.py", enabled=EVERY_RULE)
    RULES[_CRASHER] = Rule(_CRASHER, "injected-crash", "E", "S", True, "{x}", _crashing_rule, "Crashes.")
    try:
        after = engine.lint_source(text, "pipeline/assets.py", enabled=EVERY_RULE | {_CRASHER})
    finally:
        del RULES[_CRASHER]
    crashes = [f for f in after if f.code == "DAG000" and f"rule {_CRASHER} (injected-crash)" in f.message]
    assert len(crashes) == 1
    (crash,) = crashes
    if module.definitions:
        first = module.definitions[0]
        assert crash.line == first.line and f"`{first.name}`: KeyError: 'injected'" in crash.message
    else:
        assert crash.line == 1 and "ValueError: injected, no definition" in crash.message
    assert [f for f in after if f is not crash] == before


# ----------------------------------------------------------------------------- fixed cases


HUGE = "import dagster as dg\n\n" + "".join(
    f"@dg.asset(deps=['a{i}'])\ndef asset_{i}(context):\n    try:\n        x = requests.get('u')\n"
    f"    except Exception:\n        pass\n    print(x)\n\n\n" for i in range(3000)
)


@pytest.mark.parametrize("text, cause", [
    (HUGE, None),
    ("import dagster as dg\nx = " + "+".join(["a"] * 20000) + "\n", "cannot parse the file"),
    ("import dagster as dg\nx = " + "(" * 300 + ")" * 300 + "\n", "too many nested parentheses"),
    ("import dagster as dg\n@dg.asset\ndef a():\n" + "".join("    " * (i + 1) + "if x:\n" for i in range(110))
     + "    " * 111 + "pass\n", "too many levels of indentation"),
])
def test_huge_and_deeply_nested_files(text, cause):
    findings = engine.lint_source(text, "pipeline/assets.py", enabled=EVERY_RULE)
    assert internal_errors(findings) == []
    if cause is None:
        assert sum(f.code == "DAG401" for f in findings) == 3000
    else:
        assert [f.code for f in findings] == ["DAG000"] and cause in findings[0].message
