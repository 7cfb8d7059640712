"""How the CLI prints findings: text, JSON, SARIF 2.1.0, GitHub workflow commands, statistics."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dagster_lint import __version__
from dagster_lint.registry import RULES, SEVERITIES, iter_rules

if TYPE_CHECKING:
    from dagster_lint.cli import Report

INFORMATION_URI = "https://pypi.org/project/dagster-lint/"
_SARIF_LEVEL = {"E": "error", "F": "error", "W": "warning", "C": "note", "R": "note"}
_GITHUB_LEVEL = {"E": "error", "F": "error", "W": "warning", "C": "notice", "R": "notice"}


def text(reports: list[Report], out: TextIO) -> None:
    for r in reports:
        f = r.finding
        marker = "[*] " if f.fix is not None else ""
        out.write(f"{r.path}:{f.line}:{f.col + 1}: {f.code} {marker}{f.message}\n")


def as_json(reports: list[Report], out: TextIO) -> None:
    items = []
    for r in reports:
        f = r.finding
        rule = RULES[f.code]
        items.append(
            {
                "code": f.code,
                "symbol": rule.symbol,
                "severity": SEVERITIES[rule.severity],
                "message": f.message,
                "path": r.path,
                "line": f.line,
                "column": f.col + 1,
                "end_line": f.end_line,
                "end_column": f.end_col + 1 if f.end_col is not None else None,
                "fixable": f.fix is not None,
            }
        )
    json.dump(items, out, indent=2)
    out.write("\n")


def sarif(reports: list[Report], out: TextIO) -> None:
    rules = list(iter_rules())
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for rep in reports:
        f = rep.finding
        region = {"startLine": f.line, "startColumn": f.col + 1}
        if f.end_line is not None and f.end_col is not None:
            region.update(endLine=f.end_line, endColumn=f.end_col + 1)
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[RULES[f.code].severity],
                "message": {"text": f.message},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": _uri(rep.path)}, "region": region}}
                ],
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dagster-lint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def _sarif_rule(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity], "enabled": rule.default},
        "properties": {"tags": [rule.category, SEVERITIES[rule.severity]], "pylint-msgid": rule.msgid},
    }


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def github(reports: list[Report], out: TextIO) -> None:
    for r in reports:
        f = r.finding
        rule = RULES[f.code]
        props = {"file": r.path, "line": f.line, "col": f.col + 1}
        if f.end_line is not None and f.end_col is not None:
            props.update(endLine=f.end_line, endColumn=f.end_col + 1)
        props["title"] = f"{f.code} {rule.symbol}"
        rendered = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items())
        out.write(f"::{_GITHUB_LEVEL[rule.severity]} {rendered}::{_escape_data(f.message)}\n")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def statistics(reports: list[Report], out: TextIO) -> None:
    counts = Counter(r.finding.code for r in reports)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>6}  {code}  {RULES[code].symbol}\n")


FORMATS = {"text": text, "json": as_json, "sarif": sarif, "github": github}
