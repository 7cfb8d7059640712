"""Every fixture through the CLI, pylint and flake8: the expected findings, identical in all three."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import expectations, run_cli, run_flake8, run_pylint

from dagster_lint.registry import iter_rules

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(FIXTURES.rglob("dag*.py"))
_CODE = re.compile(r"^dag(\d{3})")


def rule_of(path: Path) -> str:
    return "DAG" + _CODE.match(path.name).group(1)


@pytest.fixture(scope="session")
def results():
    return {
        "cli": run_cli([FIXTURES]),
        "pylint": run_pylint(FILES),
        "flake8": run_flake8(FILES),
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("frontend", ["cli", "pylint", "flake8"])
def test_fixture_expectations(results, frontend, path):
    code = rule_of(path)
    found = {(line, c) for line, _, c in results[frontend].get(str(path.resolve()), set()) if c == code}
    expected = {(line, c) for line, c in expectations(path) if c == code}
    assert found == expected, (
        f"{frontend} on {path.name}: missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_frontends_agree(results, path):
    key = str(path.resolve())
    cli, pylint, flake8 = (results[f].get(key, set()) for f in ("cli", "pylint", "flake8"))
    assert cli == pylint == flake8, f"cli-only {cli - pylint}, pylint-only {pylint - cli}, flake8 vs cli {flake8 ^ cli}"


def test_every_expectation_names_the_files_rule():
    for path in FILES:
        stray = {c for _, c in expectations(path)} - {rule_of(path)}
        assert not stray, f"{path.name} expects {stray}, which its file name does not name"


PROJECT_FILES = sorted((Path(__file__).parent / "projects").rglob("*.py"))


@pytest.mark.parametrize("rule", [r for r in iter_rules() if r.check is not None], ids=lambda r: r.code)
def test_every_rule_has_fixtures_with_bad_and_good_cases(rule):
    if "S" not in rule.mode:
        if "P" in rule.mode:
            expected = [p for p in PROJECT_FILES if any(c == rule.code for _, c in expectations(p))]
            assert expected, f"project rule {rule.code} has no bad case under tests/projects/"
        return  # runtime-only rules are covered by tests/test_runtime*.py
    files = [p for p in FILES if rule_of(p) == rule.code]
    assert files, f"{rule.code} has no fixture under tests/fixtures/{rule.category}/"
    assert all(p.parent.name == rule.category for p in files), f"{rule.code} fixtures belong in {rule.category}/"
    expected = [e for p in files for e in expectations(p) if e[1] == rule.code]
    assert expected, f"{rule.code} fixtures have no bad case"
    text = "\n".join(p.read_text() for p in files)
    assert "import dagster as dg" in text and "from dagster import" in text, f"{rule.code} fixtures lack alias forms"
