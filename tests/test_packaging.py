"""The wheel and sdist as users get them: built with `python -m build`, installed into a fresh venv.

Slow (it builds in isolated environments and installs from the package index): one build and one
venv for the whole module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from dagster_lint import __version__

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.slow

FLAWED = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), description="Orders.")
def orders(context):
    return 1
'''


def worktree_files() -> list[str]:
    """The files of the work tree as git sees them: tracked and new, without ignored ones."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True, env=git_env(),
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs the git work tree of dagster-lint")
    return sorted(p for p in out.decode().split("\0") if p and (ROOT / p).is_file())


def copy_worktree(dest: Path) -> Path:
    """A copy of the work tree (with uncommitted edits), so builds never write into the real one."""
    for rel in worktree_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return dest


def git_env() -> dict[str, str]:
    # A test run from inside a git hook inherits GIT_DIR / GIT_INDEX_FILE, which would point
    # every git command here at the outer repository.
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def run(cmd, *, cwd=None, timeout=600, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def check(cmd, **kwargs) -> subprocess.CompletedProcess:
    proc = run(cmd, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def package_files(tree: list[str]) -> set[str]:
    return {p for p in tree if p.startswith("dagster_lint/") and "__pycache__" not in p}


@pytest.fixture(scope="module")
def src(tmp_path_factory) -> Path:
    return copy_worktree(tmp_path_factory.mktemp("src"))


@pytest.fixture(scope="module")
def dists(src, tmp_path_factory) -> dict[str, Path]:
    pytest.importorskip("build", reason="build is in the `test` extra: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("dist")
    # The default build makes the sdist, then the wheel from the unpacked sdist: a file the sdist
    # forgets breaks the wheel build here rather than for the first user who installs from source.
    check([sys.executable, "-m", "build", "--outdir", out, src])
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    check([sys.executable, "-m", "venv", env])
    check([env / BIN / "python", "-m", "pip", "install", "--quiet", dists["wheel"]])
    return env


def test_sdist_has_the_sources_readme_and_license(dists):
    with tarfile.open(dists["sdist"]) as tar:
        names = tar.getnames()
    top = names[0].split("/")[0]
    assert top == f"dagster_lint-{__version__}"
    inside = {n.split("/", 1)[1] for n in names if "/" in n}
    for needed in ("README.md", "LICENSE", "pyproject.toml", "PKG-INFO"):
        assert needed in inside, f"sdist lacks {needed}"
    missing = package_files(worktree_files()) - inside
    assert not missing, f"sdist lacks package files: {sorted(missing)}"
    leaked = sorted(n for n in inside if n.startswith((".dagster_lint_cache", ".git/", ".venv")) or "__pycache__" in n)
    assert not leaked, f"sdist carries local state: {leaked[:5]}"


def test_wheel_has_every_package_file_entry_points_and_metadata(dists):
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = set(whl.namelist())
        info = f"dagster_lint-{__version__}.dist-info"
        metadata = whl.read(f"{info}/METADATA").decode()
        entry_points = whl.read(f"{info}/entry_points.txt").decode()
    # Every module, py.typed and data file (dagster_lint/data/*.json when there are any) ships,
    # and nothing else does: no tests, examples or caches.
    assert {n for n in names if n.startswith("dagster_lint/")} == package_files(worktree_files())
    assert {n.split("/")[0] for n in names} == {"dagster_lint", info}
    assert f"{info}/licenses/LICENSE" in names
    assert "License-Expression: Apache-2.0" in metadata
    assert "Requires-Python: >=3.10" in metadata
    assert "dagster-lint = dagster_lint.cli:main" in entry_points
    assert "[flake8.extension]" in entry_points and "DAG = dagster_lint.flake8:DagsterLintPlugin" in entry_points


def test_installed_wheel_lints_without_dagster(venv, src):
    python = venv / BIN / "python"
    probe = run([python, "-c", "import dagster"])
    assert probe.returncode != 0, "the fresh venv should not have Dagster: the static rules must not need it"

    installed = run([venv / BIN / "dagster-lint", "--format", "json", "examples/shop_flawed"], cwd=src)
    assert installed.returncode == 1, installed.stderr
    # The same sources run from the tree: the installed copy must find exactly the same.
    reference = run(
        [sys.executable, "-c", "import sys; from dagster_lint.cli import main; sys.exit(main())",
         "--format", "json", "examples/shop_flawed"],
        cwd=src,
    )
    assert reference.returncode == 1, reference.stderr

    def keys(proc):
        return sorted((f["path"], f["line"], f["column"], f["code"]) for f in json.loads(proc.stdout))

    assert keys(installed), "no findings on the flawed example"
    assert keys(installed) == keys(reference)
    assert all(code.startswith("DAG") for *_, code in keys(installed))


def test_installed_extras_register_the_pylint_and_flake8_frontends(venv, dists, tmp_path):
    check([venv / BIN / "python", "-m", "pip", "install", "--quiet", f"{dists['wheel']}[pylint,flake8]"])
    (tmp_path / "assets.py").write_text(FLAWED)
    flake8 = run([venv / BIN / "flake8", "--isolated", "--select=DAG204", "--format=%(row)d:%(code)s", "assets.py"],
                 cwd=tmp_path)
    assert flake8.stdout.split() == ["5:DAG204"], flake8.stdout + flake8.stderr
    pylint = run(
        [venv / BIN / "pylint", "--load-plugins=dagster_lint.pylint", "--disable=all",
         "--enable=partitioned-asset-ignores-partition", "--score=n", "--msg-template={line}:{symbol}", "assets.py"],
        cwd=tmp_path,
    )
    found = [line for line in pylint.stdout.splitlines() if not line.startswith("*")]
    assert found == ["5:partitioned-asset-ignores-partition"], pylint.stdout + pylint.stderr


LATE_UPSTREAM = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-02-01"))
def raw_events(context):
    return context.partition_key


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[raw_events])
def sessions(context):
    return context.partition_key


defs = dg.Definitions(assets=[raw_events, sessions])
'''


def test_runtime_extra_installs_and_the_loader_needs_only_dagster(dists, tmp_path):
    env = tmp_path / "env"
    check([sys.executable, "-m", "venv", env])
    python = env / BIN / "python"
    check([python, "-m", "pip", "install", "--quiet", f"{dists['wheel']}[runtime]"])
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.dagster]\nmodule_name = "pipeline"\n')
    (project / "pipeline.py").write_text(LATE_UPSTREAM)

    def runtime_codes(proc):
        assert proc.returncode == 1, proc.stdout + proc.stderr
        return sorted((f["line"], f["code"]) for f in json.loads(proc.stdout) if f["code"] in ("DAG001", "DAG202"))

    installed = run([env / BIN / "dagster-lint", "--runtime", "--format", "json", "pipeline.py"], cwd=project)
    assert runtime_codes(installed) == [(9, "DAG202")]
    # The project's interpreter with Dagster and without dagster-lint: the loader runs as a script.
    shutil.rmtree(project / ".dagster_lint_cache")
    check([python, "-m", "pip", "uninstall", "--quiet", "--yes", "dagster-lint"])
    assert run([python, "-c", "import dagster_lint"], cwd=project).returncode != 0
    # sys.path, not PYTHONPATH, so that the loading process does not inherit the way to the tree.
    from_tree = run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); from dagster_lint.cli import main; "
         "sys.exit(main())", "--runtime", "--python", python, "--format", "json", "pipeline.py"],
        cwd=project, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert runtime_codes(from_tree) == [(9, "DAG202")]
