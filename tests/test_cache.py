"""The CLI's findings cache and `-j N`: the same output as a fresh single-process run, always.

A warm run lints nothing it has seen; an edit re-lints that file, and re-runs the project
rules (which read the other files) everywhere in its project, and nothing else.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import BAD, run, write

from dagster_lint import cache, runner

FIXTURES = Path(__file__).parent / "fixtures"

PRODUCER = '''import dagster as dg


@dg.asset
def raw_orders():
    """Orders as the shop exports them."""
    return 1
'''

CONSUMER = '''import dagster as dg


@dg.asset(deps=["raw_orders"])
def report():
    """The report."""
    print("building")
'''


@pytest.fixture
def analysed(monkeypatch):
    """(path, groups of rules) of every file the runner had to analyse, in order."""
    calls: list[tuple[str, tuple[str, ...]]] = []
    real = runner._analyse

    def spy(data, task, groups):
        calls.append((Path(task.path).name, tuple(sorted(groups))))
        return real(data, task, groups)

    monkeypatch.setattr(runner, "_analyse", spy)
    return calls


def shop(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'shop'\n")
    write(tmp_path / "shop/__init__.py", "")
    write(tmp_path / "shop/sources.py", PRODUCER)
    write(tmp_path / "shop/report.py", CONSUMER)
    write(tmp_path / "shop/other.py", BAD.format(noqa=""))
    return tmp_path


def lint(root: Path, cache_dir: Path, *extra: str) -> tuple[int, str]:
    rc, out, _ = run([root, "--cache-dir", cache_dir, *extra])
    return rc, out


def test_a_warm_run_lints_nothing_and_prints_the_same(tmp_path, analysed):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    first = lint(root, cache_dir)
    assert sorted(analysed) == [("other.py", ("P", "S")), ("report.py", ("P", "S")), ("sources.py", ("P", "S"))]
    analysed.clear()
    assert lint(root, cache_dir) == first
    assert analysed == []
    assert first[0] == 1 and ":7:5: DAG703 " in first[1]


def test_an_edit_relints_that_file_and_only_the_project_rules_elsewhere(tmp_path, analysed):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    lint(root, cache_dir)
    analysed.clear()
    write(root / "shop/other.py", BAD.format(noqa="# noqa: DAG703"))
    lint(root, cache_dir)
    assert sorted(analysed) == [("other.py", ("P", "S")), ("report.py", ("P",)), ("sources.py", ("P",))]


def test_project_findings_follow_an_edit_of_another_file(tmp_path):
    """report.py does not change, but the asset it depends on is renamed in sources.py."""
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    _, out = lint(root, cache_dir, "--select", "DAG101")
    assert out == ""
    write(root / "shop/sources.py", PRODUCER.replace("def raw_orders", "def raw_order_lines"))
    _, out = lint(root, cache_dir, "--select", "DAG101")
    assert out.startswith(f"{root / 'shop/report.py'}:4:17: DAG101 `report` depends on `raw_orders`")
    write(root / "shop/sources.py", PRODUCER)
    _, out = lint(root, cache_dir, "--select", "DAG101")
    assert out == ""


def test_the_selection_and_the_configuration_are_part_of_the_key(tmp_path, analysed):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    lint(root, cache_dir, "--select", "DAG703")
    analysed.clear()
    _, out = lint(root, cache_dir, "--select", "DAG701")
    assert len(analysed) == 3 and "DAG701" in out and "DAG703" not in out
    analysed.clear()
    write(root / "pyproject.toml", "[project]\nname = 'shop'\n\n[tool.dagster-lint]\nignore = ['DAG701']\n")
    _, out = lint(root, cache_dir, "--select", "DAG701")
    assert len(analysed) == 3 and out == ""


def test_entries_live_under_the_tools_fingerprint_and_a_broken_cache_is_a_miss(tmp_path, analysed):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    first = lint(root, cache_dir)
    (manifest,) = (cache_dir / "findings").glob("*.json")
    assert manifest.stem == cache.tool_fingerprint()
    assert sorted(Path(p).name for p in json.loads(manifest.read_text())) == ["other.py", "report.py", "sources.py"]
    manifest.write_text("{not json")
    analysed.clear()
    assert lint(root, cache_dir) == first
    assert len(analysed) == 3
    assert not list(cache_dir.rglob("*.tmp"))


def test_the_manifests_of_other_versions_are_removed(tmp_path):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    old = write(cache_dir / "findings" / "0123456789abcdef.json", "{}")
    lint(root, cache_dir)
    assert not old.exists() and [p.stem for p in (cache_dir / "findings").glob("*.json")] == [cache.tool_fingerprint()]


def test_no_cache_writes_nothing(tmp_path):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    rc, _, _ = run([root, "--cache-dir", cache_dir, "--no-cache"])
    assert rc == 1 and not cache_dir.exists()
    assert not (root / ".dagster_lint_cache").exists()


def test_an_unwritable_cache_is_no_error(tmp_path):
    root = shop(tmp_path / "p")
    blocker = write(tmp_path / "not-a-directory", "")
    assert lint(root, blocker) == lint(root, tmp_path / "cache")


def test_the_default_cache_is_in_the_project_and_ignored_by_git(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    root = shop(tmp_path / "p")
    run([root])
    assert (root / ".dagster_lint_cache/.gitignore").read_text() == "*\n"
    assert list((root / ".dagster_lint_cache").glob("findings/*.json"))


def test_concurrent_runs_share_one_cache(tmp_path):
    """Two processes fill the same cache at once; a third reads it: every output is the same."""
    cache_dir = tmp_path / "cache"
    cmd = [sys.executable, "-m", "dagster_lint.cli", str(FIXTURES), "--format", "json", "--cache-dir", str(cache_dir)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate()[0] for p in procs]
    warm = subprocess.run(cmd, capture_output=True).stdout
    assert outputs[0] == outputs[1] == warm
    assert len(json.loads(warm)) > 100
    assert not list(cache_dir.rglob("*.tmp"))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_parallel_output_is_the_single_process_output(tmp_path, fmt):
    args = [FIXTURES, "--format", fmt, "--no-cache"]
    one = run(args)
    two = run([*args, "-j", "2"])
    assert one == two
    assert one[1].count("DAG") > 100


def test_parallel_runs_fill_the_cache_for_a_single_process_run(tmp_path, analysed):
    root, cache_dir = shop(tmp_path / "p"), tmp_path / "cache"
    cold = lint(root, cache_dir, "-j", "2")
    assert lint(root, cache_dir) == cold == lint(root, tmp_path / "other", "-j", "1")
    # The second run read what the workers of the first wrote (the third had its own cache).
    assert sorted(analysed) == [("other.py", ("P", "S")), ("report.py", ("P", "S")), ("sources.py", ("P", "S"))]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value):
    with pytest.raises(SystemExit) as exit_:
        run([".", "-j", value])
    assert exit_.value.code == 2
