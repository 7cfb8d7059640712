"""Runtime mode without a child process: targets, configuration, registry parts, GraphFacts."""

from __future__ import annotations

import pytest

from dagster_lint import registry
from dagster_lint.config import DEFAULT_EVALUATION_TIME, ConfigError, from_table
from dagster_lint.runtime.graph import Alignment, Asset, Edge, GraphFacts, LoadError, Location
from dagster_lint.runtime.session import merge
from dagster_lint.runtime.targets import TargetError, discover, parse
from dagster_lint.registry import Finding


def write(path, text=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# ----------------------------------------------------------------------------- targets
def test_explicit_targets_win_over_configuration(tmp_path):
    write(tmp_path / "shop/__init__.py")
    write(tmp_path / "pyproject.toml", '[tool.dagster]\nmodule_name = "other"\n')
    (target,) = discover(tmp_path, ("configured.mod",), ("shop:defs",))
    assert (target.kind, target.module, target.attribute, target.label) == ("module", "shop", "defs", "shop:defs")
    (target,) = discover(tmp_path, ("shop",))
    assert (target.module, target.attribute) == ("shop", None)


def test_file_targets_and_attributes(tmp_path):
    defs = write(tmp_path / "jobs/defs.py")
    target = parse("jobs/defs.py:my_defs", tmp_path)
    assert (target.kind, target.file, target.attribute, target.label) == (
        "file", str(defs), "my_defs", "jobs/defs.py:my_defs"
    )
    with pytest.raises(TargetError, match="no such Python file"):
        parse("missing.py", tmp_path)


def test_src_layout_is_found_and_imported_from_src(tmp_path):
    module = write(tmp_path / "src/shop/definitions.py")
    write(tmp_path / "pyproject.toml",
          '[tool.dagster]\nmodule_name = "shop.definitions"\ncode_location_name = "shop"\n')
    (target,) = discover(tmp_path)
    assert target.source_file == str(module)
    assert target.import_paths == (str(tmp_path.resolve()), str((tmp_path / "src").resolve()))
    assert target.location == "shop"


def test_tool_dagster_modules_list(tmp_path):
    write(tmp_path / "pyproject.toml",
          '[tool.dagster]\nmodules = [{type = "module", name = "a"}, {type = "module", name = "b"}]\n')
    assert [t.module for t in discover(tmp_path)] == ["a", "b"]


def test_dg_project_target_module_and_defs_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.dg.project]\nroot_module = "analytics"\n')
    (target,) = discover(tmp_path)
    assert (target.kind, target.module) == ("module", "analytics.definitions")
    write(tmp_path / "pyproject.toml", '[tool.dg.project]\nroot_module = "analytics"\nautoload_defs = true\n')
    (target,) = discover(tmp_path)
    assert (target.kind, target.module) == ("defs_folder", "analytics.defs")


def test_workspace_yaml_has_every_code_location(tmp_path):
    pytest.importorskip("yaml")
    write(tmp_path / "b/defs.py")
    write(tmp_path / "workspace.yaml", """
load_from:
  - python_module: a.definitions
  - python_file:
      relative_path: b/defs.py
      attribute: defs
      location_name: b
      executable_path: /opt/b/bin/python
  - grpc_server: {host: localhost, port: 4266}
""")
    a, b = discover(tmp_path)
    assert (a.kind, a.module) == ("module", "a.definitions")
    assert (b.kind, b.attribute, b.location, b.python) == ("file", "defs", "b", "/opt/b/bin/python")


def test_no_target_says_what_to_configure(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(TargetError, match="--definitions module:attr"):
        discover(tmp_path)


# ----------------------------------------------------------------------------- configuration
def test_runtime_keys_are_read_and_checked():
    config = from_table({"runtime": True, "definitions": "shop.definitions:defs", "python": ".venv/bin/python",
                         "timeout": 30, "fan-in-limit": 200, "evaluation-time": "2025-06-01T00:00:00"})
    options = config.runtime
    assert (options.enabled, options.definitions, options.python, options.timeout, options.fan_in_limit) == (
        True, ("shop.definitions:defs",), ".venv/bin/python", 30, 200)
    assert options.evaluation_time == "2025-06-01T00:00:00+00:00"
    assert from_table({}).runtime.evaluation_time == DEFAULT_EVALUATION_TIME
    for bad in ({"runtime": "yes"}, {"timeout": 0}, {"fan-in-limit": True}, {"evaluation-time": "soon"},
                {"definitions": []}):
        with pytest.raises(ConfigError):
            from_table(bad)


# ----------------------------------------------------------------------------- registry
@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(registry, "RULES", dict(registry.load_rules()))
    monkeypatch.setattr(registry, "RUNTIME", {})
    monkeypatch.setattr(registry, "_PROVISIONAL", set())


DOC = """Summary.

## What it does
x

## Why is this bad?
x

## Example
```python
x
```

## Use instead
x
"""


def test_a_static_rule_declared_after_its_provisional_twin_takes_over(scratch_registry):
    @registry.runtime_rule("DAG299", "scratch-twin", "E", "runtime {x}", provisional=True)
    def runtime_part(graph):
        """Summary.\n\n## What it does\nR\n\n## Runtime mode\nThe runtime part."""

    assert registry.RULES["DAG299"].mode == "R"

    def static_part(model):
        return []

    static_part.__doc__ = DOC
    registry.rule("DAG299", "scratch-twin", "E", "static {x}", mode="P")(static_part)
    rule = registry.RULES["DAG299"]
    assert (rule.mode, rule.check, rule.message) == ("P,R", static_part, "static {x}")
    assert "The runtime part." in rule.doc
    assert registry.RUNTIME["DAG299"].format({"x": 1}) == "runtime 1"


def test_a_provisional_declaration_yields_to_an_existing_static_rule(scratch_registry):
    before = registry.RULES["DAG101"]

    @registry.runtime_rule("DAG101", "unknown-asset-dependency", "E", "r", provisional=True)
    def again(graph):
        """Doc.\n\n## Runtime mode\nmore"""

    with pytest.raises(ValueError, match="declared twice"):
        registry.runtime_check("DAG101", "again")(lambda g: [])
    assert registry.RULES["DAG101"].check is before.check


def test_runtime_check_needs_a_declared_code(scratch_registry):
    with pytest.raises(ValueError, match="not declared"):
        registry.runtime_check("DAG298", "m")(lambda g: [])


# ----------------------------------------------------------------------------- facts
def test_graph_facts_round_trip_through_json():
    facts = GraphFacts(
        target="shop.definitions:defs",
        assets=[Asset(key=("raw", "orders"), owner="orders", kind="materializable", location=Location("/p/a.py", 4))],
        edges=[Edge(child=("x",), parent=("raw", "orders"), mapping="IdentityPartitionMapping", mapping_repr="I()",
                    explicit=False, loaded=True, alignment=Alignment(downstream=3, affected=1, example="a"))],
        error=LoadError("import", "boom"),
    )
    again = GraphFacts.loads(facts.dumps())
    assert again == facts
    with pytest.raises(ValueError, match="schema"):
        GraphFacts.from_json({**facts.to_json(), "schema": 0})


def test_runtime_finding_replaces_its_static_twin_on_the_same_line():
    static = [Finding("DAG101", 3, 4, "static"), Finding("DAG204", 3, 0, "other")]
    runtime = [Finding("DAG101", 3, 10, "runtime"), Finding("DAG101", 9, 0, "only runtime")]
    assert [(f.code, f.line, f.message) for f in merge(static, runtime)] == [
        ("DAG204", 3, "other"), ("DAG101", 3, "runtime"), ("DAG101", 9, "only runtime")]


def test_the_child_imports_only_the_standard_library_dagster_and_graph_py():
    import ast
    import sys
    from pathlib import Path

    import dagster_lint.runtime

    here = Path(dagster_lint.runtime.__file__).parent
    for name in ("loader.py", "graph.py"):
        tree = ast.parse((here / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root == "dagster", f"{name} imports {root}"


def test_cli_targets_imply_runtime_mode_and_files_are_relative_to_the_current_directory(tmp_path, monkeypatch):
    from dagster_lint.cli import build_parser
    from dagster_lint.runtime.frontend import CliRuntime

    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["-m", "shop.definitions", "--definitions", "jobs/defs.py:defs", "-f", "x.py"])
    runtime = CliRuntime(args)
    assert runtime.forced
    assert runtime.explicit == (f"{tmp_path / 'jobs/defs.py'}:defs", "shop.definitions", str(tmp_path / "x.py"))
    assert not CliRuntime(build_parser().parse_args([])).forced
    assert CliRuntime(build_parser().parse_args(["--timeout", "5", "--python", "venv/bin/python"])).overrides() == {
        "timeout": 5.0, "python": str(tmp_path / "venv/bin/python")}
