"""Runtime mode on real projects (tests/projects/runtime/), loaded by the real Dagster.

Each project is copied once per session and loaded once: the CLI run loads it in a child
process and fills the project's cache, and pylint and flake8 (in parallel workers) read the
facts from that cache. All three must report exactly the `# DAGxxx` expectations.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from harness import expectations, run_cli, run_flake8, run_pylint

from dagster_lint import cli
from dagster_lint.config import config_for
from dagster_lint.registry import RULES, RUNTIME, load_rules
from dagster_lint.runtime.session import analyse

# The interpreter that loads the projects: this one, or (noxfile's oldest session) one with an
# older Dagster than the linter's environment can hold.
PYTHON = os.environ.get("DAGSTER_LINT_TEST_PYTHON", sys.executable)
_PROBE = "import dagster; print(dagster.__version__, hasattr(dagster, 'load_from_defs_folder'))"
_probe = subprocess.run([PYTHON, "-c", _PROBE], capture_output=True, text=True)
if _probe.returncode != 0:
    pytest.skip(f"no Dagster in {PYTHON}: runtime mode needs the `runtime` extra", allow_module_level=True)
DAGSTER_VERSION, _has_defs_folders = _probe.stdout.split()

SOURCE = Path(__file__).parent / "projects" / "runtime"
# `load_from_defs_folder` (dg projects) arrived in Dagster 1.11.
NAMES = sorted(
    p.name for p in SOURCE.iterdir()
    if (p / "pyproject.toml").is_file() and (p.name != "dg_project" or _has_defs_folders == "True")
)


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".dagster_lint_cache", "__pycache__"))
    if PYTHON != sys.executable:
        config = dest / "pyproject.toml"
        config.write_text(
            config.read_text().replace("[tool.dagster-lint]\n", f"[tool.dagster-lint]\npython = {json.dumps(PYTHON)}\n")
        )
    return dest


@pytest.fixture(scope="session")
def projects(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("runtime")
    for name in NAMES:
        _copy(SOURCE / name, root / name)
    return root


def _files(root: Path) -> list[Path]:
    return sorted(p for name in NAMES for p in (root / name).rglob("*.py") if ".dagster_lint_cache" not in p.parts)


def _found(results) -> set[tuple[str, int, str]]:
    return {(path, line, code) for path, keys in results.items() for line, _, code in keys}


@pytest.fixture(scope="session")
def results(projects):
    load_rules()
    files = _files(projects)
    cli_results = run_cli([projects / name for name in NAMES])
    # Every default-on code (pylint would turn on an off one it is asked for): each file's own
    # [tool.dagster-lint] still decides what it reports.
    symbols = ",".join(sorted(r.symbol for r in RULES.values() if r.default))
    return {
        "cli": cli_results,
        "pylint": run_pylint(files, f"--enable={symbols}", cwd=projects),
        "flake8": run_flake8(files, cwd=projects),
    }


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("frontend", ["cli", "pylint", "flake8"])
def test_project_findings(results, projects, frontend, name):
    root = (projects / name).resolve()
    want = {(str(f.resolve()), line, code) for f in _files(projects) if root in f.resolve().parents
            for line, code in expectations(f)}
    got = {item for item in _found(results[frontend]) if Path(item[0]).is_relative_to(root)}
    rel = lambda s: sorted((Path(p).relative_to(root).as_posix(), l, c) for p, l, c in s)  # noqa: E731
    assert got == want, f"{frontend}: missing {rel(want - got)}, unexpected {rel(got - want)}"


def test_every_runtime_code_is_shown_by_a_project():
    wanted = set(RUNTIME)
    shown = {code for name in NAMES for f in (SOURCE / name).rglob("*.py") for _, code in expectations(f)}
    assert wanted - shown == set(), f"runtime codes without a bad case under tests/projects/runtime: {wanted - shown}"


def _messages(projects, name) -> dict[str, str]:
    config = config_for(projects / name / "pyproject.toml")
    report = analyse(config.root, config.runtime)
    return {f.code: f.message for findings in report.findings.values() for f in findings}


def test_second_run_reads_the_cache_and_an_edit_loads_again(results, projects):
    config = config_for(projects / "late_upstream" / "pyproject.toml")
    assert analyse(config.root, config.runtime).loads == 0  # the CLI run left the facts on disk
    events = projects / "late_upstream" / "pipeline" / "events.py"
    events.write_text(events.read_text() + "\n# edited\n")
    again = analyse(config.root, config.runtime)
    assert again.loads == 1
    assert [f.code for fs in again.findings.values() for f in fs if f.code == "DAG202"] == ["DAG202"]


def test_parallel_first_loads_wait_for_one_child(tmp_path):
    project = _copy(SOURCE / "fail_exit", tmp_path / "fail_exit")
    config = config_for(project / "pyproject.toml")
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(analyse(config.root, config.runtime))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.loads for r in reports) == [0, 0, 1]


def test_load_failures_name_the_target_and_the_cause(results, projects):
    assert "ModuleNotFoundError" in _messages(projects, "fail_import")["DAG001"] or \
        "pandas_that_is_not_installed" in _messages(projects, "fail_import")["DAG001"]
    assert "KeyError: 'local'" in _messages(projects, "fail_exception")["DAG001"]
    assert "did not finish within 3 s (stuck in `wait_for_warehouse`, line 8)" in (
        _messages(projects, "fail_hang")["DAG001"]
    )
    assert "sys.exit('set DAGSTER_LINT_TEST_TOKEN')" in _messages(projects, "fail_exit")["DAG001"]
    assert "printed to stdout: `loading the pipeline definitions`" in _messages(projects, "fail_print")["DAG001"]
    old = _messages(projects, "old_dagster")["DAG001"]
    assert "Dagster 1.8.13" in old and "older than 1.9" in old
    for name in ("fail_import", "fail_exception", "fail_hang", "fail_exit", "old_dagster"):
        assert "`pipeline.definitions`" in _messages(projects, name)["DAG001"]


def test_partition_findings_give_counts_and_examples(results, projects):
    late = _messages(projects, "late_upstream")["DAG202"]
    assert "31 of 2192 partitions of `sessions`" in late and "`2024-01-01` needs `2024-01-01`" in late
    assert "1 of 2193 partitions" in _messages(projects, "end_offset")["DAG202"]
    assert "Timezones" in _messages(projects, "timezones")["DAG202"]
    assert "matches their partition keys as text" in _messages(projects, "multi_timezone")["DAG202"]
    assert "2192 of 2192" in _messages(projects, "static_to_time")["DAG201"]
    assert "needs 744 partitions" in _messages(projects, "fan_in")["DAG203"]
    assert "`fan-in-limit` = 12" in _messages(projects, "fan_in_limit")["DAG203"]


def test_load_failure_is_reported_when_its_file_is_not_linted(results, projects):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = cli.main([str(projects / "fail_exception" / "pipeline" / "definitions.py"), "--format", "json"])
    found = [(Path(f["path"]).name, f["line"], f["code"]) for f in json.loads(out.getvalue())]
    assert rc == 1
    assert found == [("settings.py", 6, "DAG001")]


def test_cli_switch_and_explicit_file_target(results, projects, tmp_path):
    project = _copy(SOURCE / "duplicates", tmp_path / "duplicates")
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace("runtime = true\n", "").replace('definitions = "definitions.py"\n', "")
    )
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main([str(project), "--format", "json"]) == 0  # runtime mode is opt-in
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    with redirect_stdout(out):
        rc = cli.main([str(project), "--format", "json", "-f", str(project / "definitions.py")])
    assert rc == 1
    assert [(f["line"], f["code"]) for f in json.loads(out.getvalue())] == [(6, "DAG104")]


def test_runtime_without_a_target_is_a_usage_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dagster-lint]\nruntime = true\n")
    (tmp_path / "assets.py").write_text("import dagster as dg\n")
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        assert cli.main([str(tmp_path)]) == 2
    assert "found no Definitions to load" in err.getvalue()


def test_pylint_and_flake8_switches_turn_runtime_mode_on(tmp_path):
    project = _copy(SOURCE / "late_upstream", tmp_path / "late_upstream")
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace("runtime = true\n", ""))
    events = project / "pipeline" / "events.py"
    pylint = [sys.executable, "-m", "pylint", "--load-plugins=dagster_lint.pylint", "--disable=all",
              "--enable=partition-window-misaligned", "--score=n", "--msg-template={line}:{msg_id}:{msg}", str(events)]
    flake8 = [sys.executable, "-m", "flake8", "--isolated", "--select=DAG202",
              "--format=%(row)d:%(code)s:%(text)s", str(events)]

    def lines(cmd):
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=project).stdout
        return [line for line in out.splitlines() if not line.startswith("*")]

    # Off unless asked for: only the static twin reports, from the literals.
    static = "depends on `raw_events`"
    loaded = "do not line up"  # the runtime message, with the count Dagster's mapping gives
    for found in (lines(pylint), lines(flake8)):
        assert [line.split(":")[0] for line in found] == ["11"] and static in found[0] and loaded not in found[0]
    for found in (lines([*pylint[:-1], "--dagster-runtime=y", str(events)]),
                  lines([*flake8[:-1], "--dagster-runtime", str(events)])):
        assert [line.split(":")[:2] for line in found] in (
            [["11", "E7202"]], [["11", "DAG202"]]) and loaded in found[0] and "31 of" in found[0]
