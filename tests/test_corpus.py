"""Real code through the CLI: Dagster's integration libraries, dagster-community-components and
the CPython standard library. No crash, no traceback, and nothing at all on the standard library.

The packages are installed with `pip install --no-deps --target` into pytest's temporary
directory (about 20 s; set DAGSTER_LINT_CORPUS to a directory that already holds them, such as
a virtualenv's site-packages, to skip that). The counts appear in the "dagster-lint corpus"
section at the end of the pytest output.

What counts as a crash: a DAG000 "internal error" (a rule, the model or the project index
raised) or a traceback. A DAG000 "cannot parse" is not a crash when the file really is not
Python this interpreter reads (the standard library's test suite has such files on purpose,
`badsyntax_*.py`, lib2to3's data): the test compiles each such file itself to tell.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest

from dagster_lint import cli

pytestmark = pytest.mark.corpus

# Exact versions, so that a new release upstream changes this test only when this list does.
PACKAGES = {
    "dagster-community-components": "0.10.120",
    "dagster-dbt": "0.29.27",
    "dagster-aws": "0.29.27",
    "dagster-gcp": "0.29.27",
    "dagster-snowflake": "0.29.27",
    "dagster-k8s": "0.29.27",
    "dagster-duckdb": "0.29.27",
    "dagster-pandas": "0.29.27",
}
STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    given = os.environ.get("DAGSTER_LINT_CORPUS")
    if given:
        return Path(given)
    target = tmp_path_factory.mktemp("corpus-site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--disable-pip-version-check",
         "--target", str(target), *(f"{name}=={version}" for name, version in PACKAGES.items())],
        check=True,
    )
    return target


def lint(paths: list[Path], *extra: str) -> tuple[list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_lint.cli", *map(str, paths), "--format", "json", "--no-cache", "-j", "2",
         "--exit-zero", *extra],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return json.loads(proc.stdout), proc.stderr


def count_files(paths: list[Path]) -> int:
    return sum(1 for path in paths for _ in cli._python_files(path, None))


def crashes(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["code"] == "DAG000" and "internal error" in f["message"]]


def unreadable(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["code"] == "DAG000" and f["message"].startswith("cannot ")]


def really_broken(path: str) -> bool:
    """The interpreter itself cannot read the file (bytes or syntax)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(Path(path).read_bytes(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            return True
    return False


def test_dagster_libraries_and_community_components(site, terminal_summary):
    roots = [site / name.replace("-", "_") for name in PACKAGES]
    missing = [r for r in roots if not r.is_dir()]
    assert not missing, f"not installed: {missing}"
    files = count_files(roots)
    findings, _ = lint(roots, "--select", "DAG")  # every rule, the default-off ones too
    by_code = collections.Counter(f["code"] for f in findings)
    crashed = crashes(findings)
    terminal_summary.append(
        f"Dagster libraries + dagster-community-components: {files} files linted, {len(findings)} findings "
        f"with every rule on, crashes = {len(crashed)}; most frequent: {dict(by_code.most_common(5))}"
    )
    assert files > 4000
    assert crashed == []
    assert all(really_broken(f["path"]) for f in unreadable(findings)), unreadable(findings)


def stdlib_entries() -> list[Path]:
    """The standard library without the third-party packages installed beside it."""
    return sorted(p for p in STDLIB.iterdir() if p.name not in ("site-packages", "dist-packages", "__pycache__"))


def test_standard_library_has_no_findings(terminal_summary):
    entries = stdlib_entries()
    files = count_files(entries)
    findings, _ = lint(entries)
    terminal_summary.append(f"CPython {sys.version.split()[0]} standard library: {files} files linted, "
                            f"{len(findings)} findings, crashes = {len(crashes(findings))}")
    assert files > 1000
    assert findings == []


def test_standard_library_as_dagster_code_does_not_crash(tmp_path, terminal_summary):
    """The same files with `import dagster as dg` appended, so that the model and every rule run
    on them (without it, one substring test skips each file): odd but real Python."""
    copied = 0
    for entry in stdlib_entries():
        sources = [entry] if entry.is_file() else sorted(entry.rglob("*.py"))
        for source in sources:
            if source.suffix != ".py" or "__pycache__" in source.parts:
                continue
            target = tmp_path / source.relative_to(STDLIB)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            target.write_bytes(data + (b"" if data.endswith(b"\n") else b"\n") + b"import dagster as dg\n")
            copied += 1
    findings, _ = lint([tmp_path], "--select", "DAG")
    crashed = crashes(findings)
    broken = unreadable(findings)
    terminal_summary.append(
        f"standard library with a dagster import appended: {copied} files linted with every rule on, "
        f"crashes = {len(crashed)}, {len(broken)} files that Python itself cannot read"
    )
    assert copied > 1000
    assert crashed == []
    assert all(really_broken(f["path"]) for f in broken), [f for f in broken if not really_broken(f["path"])]
