"""Whole-project fixtures under tests/projects/: project rules through the CLI, pylint and flake8."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import expectations, run_cli, run_flake8, run_pylint

PROJECTS = Path(__file__).parent / "projects"
NAMES = sorted(p.name for p in PROJECTS.iterdir() if (p / "pyproject.toml").is_file())


def python_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*.py") if ".dagster_lint_cache" not in p.parts)


def expected(project: Path) -> set[tuple[str, int, str]]:
    return {(str(f.resolve()), line, code) for f in python_files(project) for line, code in expectations(f)}


def found(results) -> set[tuple[str, int, str]]:
    return {(path, line, code) for path, keys in results.items() for line, _, code in keys}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("frontend", ["cli", "pylint", "flake8"])
def test_project_expectations(name, frontend):
    project = PROJECTS / name
    files = python_files(project)
    run = {"cli": lambda: run_cli([project]), "pylint": lambda: run_pylint(files, cwd=project),
           "flake8": lambda: run_flake8(files, cwd=project)}[frontend]
    got, want = found(run()), expected(project)
    rel = lambda s: sorted((Path(p).relative_to(project.resolve()).as_posix(), l, c) for p, l, c in s)  # noqa: E731
    assert got == want, f"missing {rel(want - got)}, unexpected {rel(got - want)}"


def test_pylint_from_stdin_uses_the_buffer_for_its_file_and_disk_for_the_others(tmp_path):
    import shutil
    import subprocess
    import sys

    project = tmp_path / "shop"
    shutil.copytree(PROJECTS / "lineage_src_layout", project)
    ingest = project / "src/shop/ingest.py"
    text = ingest.read_text()
    fixed, added, untouched = '"raw_order"]', '"crm_contacts"', 'raw_payment"'
    line_of = {needle: text[: text.index(needle)].count("\n") + 1 for needle in (fixed, added, untouched)}
    # The buffer fixes one typo that is on disk and makes a new one that only the buffer has.
    buffer = text.replace(fixed, '"raw_orders"]').replace(added, '"crm_contact"')
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=dagster_lint.pylint", "--disable=all",
         "--enable=dagster-lint-lineage", "--score=n", "--msg-template={line}:{msg_id}", "--from-stdin", str(ingest)],
        input=buffer, capture_output=True, text=True, cwd=project,
    )
    lines = {line for line in proc.stdout.splitlines() if not line.startswith("*")}
    assert f"{line_of[fixed]}:E7101" not in lines
    assert f"{line_of[added]}:E7101" in lines
    assert f"{line_of[untouched]}:E7101" in lines
