"""The README's example project: the flawed version shows every shipped rule, the clean one none."""

from __future__ import annotations

import os
from pathlib import Path

from harness import run_cli

from dagster_lint import cli
from dagster_lint.registry import RULES, load_rules

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_flawed_example_shows_each_default_static_rule():
    load_rules()
    found = {code for keys in run_cli([EXAMPLES / "shop_flawed"]).values() for _, _, code in keys}
    # Static rules: single-file (S) and across files (P); runtime rules need --runtime.
    shipped = {c for c, r in RULES.items() if r.check is not None and r.default and r.mode != "R"}
    assert found <= shipped
    # Each rule of the first release has a deliberate mistake in the example.
    first = {"DAG204", "DAG205", "DAG301", "DAG302", "DAG304", "DAG401", "DAG502", "DAG601", "DAG701",
             "DAG703", "DAG801", "DAG802", "DAG902"}
    assert first <= found, f"not shown by the example: {sorted(first - found)}"


def test_clean_example_is_clean():
    assert run_cli([EXAMPLES / "shop_clean"]) == {}


def test_the_readme_shows_what_its_first_command_prints(capsys):
    """The sample lines under "What the first command prints" are lines the command prints."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    sample = readme.split("What the first command prints", 1)[1].split("```", 2)[1]
    shown = [line for line in sample.splitlines() if line.startswith("examples/")]
    assert shown, "the README shows no output of `dagster-lint examples/`"
    cwd = os.getcwd()
    try:
        os.chdir(EXAMPLES.parent)
        assert cli.main(["examples/"]) == 1
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out.splitlines()
    missing = [line for line in shown if line not in printed]
    assert not missing, f"the README shows lines the command does not print: {missing}"
