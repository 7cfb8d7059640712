"""DAG800's generated table, its generator, and the sites it leaves to the dedicated DAG8xx rules."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from dagster_lint.engine import lint_source
from dagster_lint.rules import deprecated_api
from dagster_lint.rules.deprecated_api import (
    OWNED_CALLS,
    OWNED_CONTEXT_MEMBERS,
    OWNED_NAMES,
    OWNED_PARAMS,
    fold,
    table,
)

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "dagster_lint" / "data" / "deprecations.json"
GENERATOR = ROOT / "scripts" / "gen_deprecations.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_deprecations", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lint(source: str, *codes: str):
    return lint_source(textwrap.dedent(source), "pipeline/defs.py", enabled=set(codes))


# ----------------------------------------------------------------------------- the table


def test_table_is_current_for_the_installed_dagster():
    dagster = pytest.importorskip("dagster")
    recorded = json.loads(TABLE.read_text())["dagster_version"]
    if dagster.__version__ != recorded:
        pytest.skip(f"the table is from Dagster {recorded}, Dagster {dagster.__version__} is installed")
    proc = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_table_is_sorted_and_stable():
    text = TABLE.read_text()
    data = json.loads(text)
    assert _generator().render(data) == text  # what the generator writes, byte for byte
    assert list(data["names"]) == sorted(data["names"])
    assert list(data["params"]) == sorted(data["params"])
    assert data["generated_by"] == "scripts/gen_deprecations.py"
    assert data["dagster_version"][0].isdigit()


def test_table_holds_known_deprecations():
    t = table()
    assert t.names["dagster.SourceAsset"].status == "deprecated"
    assert t.names["dagster.fs_io_manager"].status == "superseded"
    assert t.params["dagster.op"]["version"].advice == "Use `code_version` instead"
    assert "run_id" in t.members["dagster.AssetExecutionContext"]
    # Internal keyword-only parameters with no breaking version are not deprecations.
    assert "allow_arbitrary_check_specs" not in t.params.get("dagster.multi_asset", {})
    # A parameter without advice of its own borrows it from the same parameter elsewhere.
    assert t.params["dagster.AssetOut"]["legacy_freshness_policy"].advice


def test_rule_never_imports_dagster():
    fixture = ROOT / "tests/fixtures/modernize/dag800_deprecated_dagster_api.py"
    code = (
        "import sys\n"
        "from dagster_lint.engine import lint_source\n"
        f"findings = lint_source(open({str(fixture)!r}).read(), 'x.py', enabled={{'DAG800'}})\n"
        "assert findings, 'the fixture has DAG800 findings'\n"
        "assert not [m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')], 'dagster was imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_private_paths_fold_to_the_public_name():
    known = table().paths
    assert fold("dagster._core.definitions.asset_selection.AssetSelection.keys", known) == "dagster.AssetSelection.keys"
    assert fold("dagster._core.definitions.partition.Partition", known) == "dagster.Partition"
    assert fold("dagster.fs_io_manager", known) == "dagster.fs_io_manager"
    assert fold("dagster._core.unknown.Thing", known) == "dagster._core.unknown.Thing"
    assert fold("pandas.DataFrame", known) == "pandas.DataFrame"


# ----------------------------------------------------------------------------- the generator


def test_generator_reads_dagsters_annotations(monkeypatch):
    pytest.importorskip("dagster")
    from dagster._annotations import deprecated, deprecated_param, hidden_param, superseded

    module = types.ModuleType("dagster_testapi")

    @deprecated(breaking_version="9.0", additional_warn_text="Use `New` instead.")
    class Old:
        pass

    class OldChild(Old):
        pass

    class Context:
        @deprecated(
            breaking_version="a future release",
            additional_warn_text=(
                "You have called the deprecated method run_id on Context. Use context.run.run_id instead."
            ),
        )
        @property
        def run_id(self):
            return ""

    @deprecated_param(param="version", breaking_version="9.0", additional_warn_text="Use `code_version` instead.")
    @hidden_param(param="internal", breaking_version="", emit_runtime_warning=False)
    def make(version=None, **kwargs):
        return version

    @superseded(additional_warn_text="Use `Better` instead.")
    def soft():
        return None

    for obj in (Old, OldChild, Context):
        obj.__module__ = "dagster_testapi"
    module.Old, module.OldChild, module.Context, module.make, module.soft = Old, OldChild, Context, make, soft
    module._DEPRECATED_RENAMED = {"Older": (Old, "9.0")}
    monkeypatch.setitem(sys.modules, "dagster_testapi", module)

    data = _generator().collect(("dagster_testapi",))
    names, params = data["names"], data["params"]
    assert names["dagster_testapi.Old"] == {
        "kind": "class", "status": "deprecated", "breaking_version": "9.0", "advice": "Use `New` instead."
    }
    assert "dagster_testapi.OldChild" not in names  # a subclass is not itself deprecated
    assert names["dagster_testapi.Context.run_id"] == {
        "kind": "property", "status": "deprecated", "breaking_version": "a future release",
        "advice": "Use context.run.run_id instead.",
    }
    assert names["dagster_testapi.soft"] == {
        "kind": "function", "status": "superseded", "advice": "Use `Better` instead."
    }
    assert names["dagster_testapi.Older"]["advice"] == "Use `Old` instead."
    assert params["dagster_testapi.make"] == {
        "version": {"status": "deprecated", "breaking_version": "9.0", "advice": "Use `code_version` instead."}
    }


# ----------------------------------------------------------------------------- ownership

# One site per owned entry, the owner that reports it, and the line.
OWNED_CASES = {
    ("param", "dagster.asset", "non_argument_deps"): ("DAG801", "@dg.asset(non_argument_deps={'a'})\ndef x(): ..."),
    ("param", "dagster.multi_asset", "non_argument_deps"): (
        "DAG801", "@dg.multi_asset(outs={'o': dg.AssetOut()}, non_argument_deps={'a'})\ndef x(): ...",
    ),
    ("param", "dagster.asset", "compute_kind"): ("DAG802", "@dg.asset(compute_kind='python')\ndef x(): ..."),
    ("param", "dagster.multi_asset", "compute_kind"): (
        "DAG802", "@dg.multi_asset(outs={'o': dg.AssetOut()}, compute_kind='python')\ndef x(): ...",
    ),
    ("param", "dagster.asset", "auto_materialize_policy"): (
        "DAG804", "@dg.asset(auto_materialize_policy=p)\ndef x(): ...",
    ),
    ("param", "dagster.graph_asset", "auto_materialize_policy"): (
        "DAG804", "@dg.graph_asset(auto_materialize_policy=p)\ndef x(): ...",
    ),
    ("param", "dagster.AssetSpec", "auto_materialize_policy"): (
        "DAG804", "s = dg.AssetSpec('a', auto_materialize_policy=p)",
    ),
    ("param", "dagster.AssetOut", "auto_materialize_policy"): ("DAG804", "o = dg.AssetOut(auto_materialize_policy=p)"),
    ("param", "dagster.load_assets_from_modules", "auto_materialize_policy"): (
        "DAG804", "a = dg.load_assets_from_modules([], auto_materialize_policy=p)",
    ),
    ("param", "dagster.load_assets_from_current_module", "auto_materialize_policy"): (
        "DAG804", "a = dg.load_assets_from_current_module(auto_materialize_policy=p)",
    ),
    ("param", "dagster.load_assets_from_package_module", "auto_materialize_policy"): (
        "DAG804", "a = dg.load_assets_from_package_module(m, auto_materialize_policy=p)",
    ),
    ("param", "dagster.load_assets_from_package_name", "auto_materialize_policy"): (
        "DAG804", "a = dg.load_assets_from_package_name('m', auto_materialize_policy=p)",
    ),
    ("name", "dagster.AutoMaterializePolicy", ""): ("DAG804", "p = dg.AutoMaterializePolicy.eager()"),
    ("call", "dagster.SourceAsset", ""): ("DAG807", "s = dg.SourceAsset('a', legacy_freshness_policy=f)"),
    ("member", "dagster.AssetExecutionContext.op_config", ""): (
        "DAG806", "@dg.asset\ndef x(context):\n    return context.op_config",
    ),
}


def test_every_owned_entry_has_a_case_and_is_in_the_table():
    t = table()
    owned = (
        {("param", c, p) for c, p in OWNED_PARAMS}
        | {("name", n, "") for n in OWNED_NAMES}
        | {("call", n, "") for n in OWNED_CALLS}
        | {("member", n, "") for n in OWNED_CONTEXT_MEMBERS}
    )
    assert owned == set(OWNED_CASES)
    for kind, path, param in owned:
        if kind == "param":
            assert param in t.params.get(path, {}), (
                f"{path}({param}=) is no longer deprecated: drop it from OWNED_PARAMS"
            )
        else:
            assert path in t.names, f"{path} is no longer deprecated: drop it from the ownership tables"


@pytest.mark.parametrize("case", sorted(OWNED_CASES), ids=lambda c: f"{c[1]}:{c[2]}" if c[2] else c[1])
def test_owner_reports_the_site_and_dag800_does_not(case, monkeypatch):
    owner, snippet = OWNED_CASES[case]
    source = "import dagster as dg\n\n" + snippet + "\n"
    findings = lint_source(source, "pipeline/defs.py", enabled={"DAG800", owner})
    assert {f.code for f in findings} == {owner}, findings
    # Without the ownership, DAG800 would report the same site: the entry is what keeps it quiet.
    for table_name in ("OWNED_PARAMS", "OWNED_NAMES", "OWNED_CALLS", "OWNED_CONTEXT_MEMBERS"):
        monkeypatch.setattr(deprecated_api, table_name, {})
    findings = lint_source(source, "pipeline/defs.py", enabled={"DAG800"})
    assert findings and all(f.code == "DAG800" for f in findings)


# ----------------------------------------------------------------------------- messages


def test_messages_name_the_use_the_removal_and_the_replacement():
    findings = _lint(
        """\
        import dagster as dg

        @dg.op(version="1")
        def fetch(): ...

        @dg.resource
        def warehouse(init_context):
            return init_context.run_id

        io = dg.fs_io_manager
        policy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)
        """,
        "DAG800",
    )
    messages = {f.line: f.message for f in findings}
    assert messages[3] == (
        "`version=` of `@dg.op` is deprecated (to be removed in Dagster 2.0); use `code_version` instead"
    )
    # Dagster's advice says `context.`; the message uses the parameter's own name.
    assert messages[8] == (
        "`init_context.run_id` (`InitResourceContext.run_id`) is deprecated (to be removed in a future release); "
        "use `init_context.run.run_id` instead"
    )
    assert messages[10].startswith("`dg.fs_io_manager` is superseded (Dagster keeps it but discourages new use)")
    # A removal version Dagster has already passed is called overdue, not upcoming.
    assert "overdue: Dagster planned its removal for 1.10.0" in messages[11]


def test_a_deprecated_class_is_reported_once_with_its_deprecated_keyword():
    findings = _lint(
        """\
        import dagster as dg
        entry = dg.MetadataEntry("rows", entry_data=dg.MetadataValue.int(3))
        """,
        "DAG800",
    )
    assert [(f.line, f.col) for f in findings] == [(2, 8)]
    assert findings[0].message.startswith("`dg.MetadataEntry` is deprecated")


def test_star_imports_and_local_shadowing_stay_quiet():
    findings = _lint(
        """\
        from dagster import *
        io = fs_io_manager

        def build(fs_io_manager):
            return fs_io_manager
        """,
        "DAG800",
    )
    assert findings == []
