"""The registry is the single source of every rule's code, symbol, message and docs."""

import re

import pytest

from dagster_lint.registry import CATEGORIES, DOC_SECTIONS, RULES, iter_rules

ALL = list(iter_rules())


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_has_complete_docs(rule):
    assert rule.summary, f"{rule.code} has no summary line"
    for section in DOC_SECTIONS:
        assert f"## {section}" in rule.doc, f"{rule.code} docs lack the section '{section}'"
    assert "```python" in rule.doc, f"{rule.code} docs have no code example"


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_identity(rule):
    assert re.fullmatch(r"DAG\d{3}", rule.code)
    assert rule.msgid == f"{rule.severity}7{rule.code[3:]}"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.symbol)
    assert rule.code[3] in CATEGORIES
    assert rule.mode in ("S", "P", "R", "S,P", "P,R", "S,R")


def test_symbols_and_msgids_unique():
    assert len({r.symbol for r in ALL}) == len(ALL)
    assert len({r.msgid for r in ALL}) == len(ALL)


def test_messages_format_without_missing_arguments():
    # Each message template's placeholders are plain names a rule passes in.
    for rule in RULES.values():
        names = re.findall(r"(?<!\{)\{(\w+)\}(?!\})", rule.message)
        assert all(n.isidentifier() for n in names), rule.code
