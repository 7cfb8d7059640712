"""[tool.dagster-lint] in pyproject.toml, as every front-end reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import run_cli, run_flake8, run_pylint
from test_cli import BAD, run, write

from dagster_lint.config import ConfigError, from_table


def project(tmp_path: Path, table: str) -> Path:
    write(tmp_path / "pyproject.toml", f"[project]\nname = 'shop'\n\n[tool.dagster-lint]\n{table}\n")
    write(tmp_path / "shop/assets.py", BAD.format(noqa=""))
    write(tmp_path / "tests/test_assets.py", BAD.format(noqa=""))
    return tmp_path


def codes(results) -> set[tuple[str, str]]:
    return {(Path(p).name, code) for p, keys in results.items() for _, _, code in keys}


def test_all_three_frontends_read_the_same_table(tmp_path):
    root = project(tmp_path, 'ignore = ["DAG701", "DAG501"]\nper-file-ignores = { "tests/*" = ["DAG703"] }')
    files = [root / "shop/assets.py", root / "tests/test_assets.py"]
    expected = {("assets.py", "DAG703")}
    assert codes(run_cli(files)) == expected
    assert codes(run_pylint(files, cwd=root)) == expected
    assert codes(run_flake8(files, cwd=root)) == expected


def test_default_off_rules_need_a_selector():
    table = from_table({})
    assert "DAG204" in table.enabled
    off = {c for c in from_table({"select": ["DAG"]}).enabled} - table.enabled
    assert all(not __import__("dagster_lint.registry").registry.RULES[c].default for c in off)


def test_most_specific_selector_wins():
    cfg = from_table({"select": ["DAG7"], "ignore": ["DAG70"], "extend-select": ["DAG703"]})
    assert "DAG703" in cfg.enabled and "DAG701" not in cfg.enabled and "DAG204" not in cfg.enabled


@pytest.mark.parametrize(
    "table, message",
    [
        ({"selct": ["DAG204"]}, "unknown key(s) in [tool.dagster-lint]: selct"),
        ({"select": ["DAG999"]}, "'DAG999', which matches no rule"),
        ({"ignore": ["E501"]}, "'E501', which is not a rule code"),
        ({"select": "DAG204"}, None),
        ({"per-file-ignores": ["x"]}, "per-file-ignores"),
        ({"ignore-groups": "staging"}, "`ignore-groups` must be a list of asset group names"),
    ],
)
def test_config_errors_are_clear(table, message):
    if message is None:
        assert from_table(table).select == ("DAG204",)
        return
    with pytest.raises(ConfigError) as err:
        from_table(table)
    assert message in str(err.value)


def test_cli_reports_config_errors_with_exit_2(tmp_path):
    root = project(tmp_path, 'select = ["DAG2O4"]')
    rc, out, err = run([root])
    assert rc == 2 and out == ""
    assert "pyproject.toml: `select` has 'DAG2O4', which is not a rule code" in err


def test_cli_reports_malformed_toml_with_exit_2(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.dagster-lint\nselect = 1\n")
    write(tmp_path / "a.py", BAD.format(noqa=""))
    rc, _, err = run([tmp_path])
    assert rc == 2 and "invalid TOML" in err


def test_exclude(tmp_path):
    root = project(tmp_path, 'exclude = ["tests"]')
    rc, out, _ = run([root, "--select", "DAG703"])
    assert [Path(line.split(":")[0]).name for line in out.splitlines()] == ["assets.py"]


def test_command_line_overrides_file(tmp_path):
    root = project(tmp_path, 'ignore = ["DAG703"]')
    _, out, _ = run([root / "shop", "--select", "DAG703"])
    assert out == ""  # ignore in the file still applies: the command line adds, it does not reset ignore
    _, out, _ = run([root / "shop", "--extend-select", "DAG703", "--ignore", "DAG701,DAG501"])
    assert out == ""
