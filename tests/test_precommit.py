"""The pre-commit hook as a user adds it: `repo:` + `rev:` + `id: dagster-lint`.

pre-commit clones this repository at a commit, builds its own environment and pip-installs the
project into it, like it does for a user (slow: tens of seconds, network to the package index).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from test_packaging import copy_worktree, git_env

pytest.importorskip("pre_commit", reason="pre-commit is in the `test` extra: pip install -e '.[test]'")

pytestmark = pytest.mark.slow

FLAWED = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), description="Daily orders.")
def orders(context: dg.AssetExecutionContext):
    return [1, 2, 3]
'''

CLEAN = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), description="Daily orders.")
def orders(context: dg.AssetExecutionContext):
    return [context.partition_key]
'''


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, check=True, env=git_env(),
    ).stdout.strip()


def committed_snapshot(dest: Path) -> str:
    """The work tree as a git repository of its own (pre-commit installs hooks from a commit)."""
    copy_worktree(dest)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest)


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = git_env() | {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color=never", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=600,
    )


def test_hook_fails_on_a_dagster_mistake_and_passes_on_clean_files(tmp_path):
    hooks = tmp_path / "dagster-lint"
    sha = committed_snapshot(hooks)

    project = tmp_path / "project"
    (project / "pipelines").mkdir(parents=True)
    (project / "pipelines" / "flawed.py").write_text(FLAWED)
    (project / "pipelines" / "clean.py").write_text(CLEAN)
    # Not Python: `types: [python]` keeps it away from the linter.
    (project / "notes.txt").write_text("def broken(:\n")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: dagster-lint\n"
    )
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)

    home = tmp_path / "pre-commit-home"
    failed = pre_commit("--all-files", cwd=project, home=home)
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out
    assert "pipelines/flawed.py:5:1: DAG204" in out, out
    assert "clean.py" not in out and "notes.txt" not in out, out

    # Only the files pre-commit passes are reported: a commit touching the clean file passes.
    passed = pre_commit("--files", "pipelines/clean.py", cwd=project, home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "dagster-lint" in passed.stdout and "Passed" in passed.stdout, passed.stdout
