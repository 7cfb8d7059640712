"""pylint front-end: `pylint --load-plugins dagster_lint.pylint`.

One checker per category (checker ids 70-79), because pylint wants every message of a checker
to share its id. The engine runs once per module; each checker reports its category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pylint.checkers import BaseRawFileChecker

from dagster_lint import report_once
from dagster_lint.config import ConfigError, config_for
from dagster_lint.engine import UnreadableSource, decode, fewer_collections, internal_failure, lint_source
from dagster_lint.registry import CATEGORIES, RULES, Finding, load_rules

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

_last: tuple[object, list[Finding]] | None = None


def _findings(linter: PyLinter, node: nodes.Module) -> list[Finding]:
    """Findings for the module pylint is checking, computed once for all checkers."""
    global _last
    if _last is not None and _last[0] is node:
        return _last[1]
    path = node.file or linter.current_file
    try:
        with fewer_collections():
            findings = _lint(linter, node, path)
    except ConfigError as exc:
        findings = report_once.configuration_error(exc)
    except UnreadableSource as exc:
        findings = [Finding("DAG000", 1, 0, str(exc))]
    except Exception as exc:  # never a traceback in the user's pylint run
        findings = [internal_failure(exc)]
    _last = (node, findings)
    return findings


def _with_runtime(linter: PyLinter, path, config, enabled, findings: list[Finding]) -> list[Finding]:
    """Runtime findings of this file, when `runtime = true` or `--dagster-runtime=y`."""
    force = bool(getattr(linter.config, "dagster_runtime", False))
    if not (force or config.runtime.enabled):
        return findings
    from dagster_lint.runtime.frontend import findings_for_file, merge

    runtime = findings_for_file(path, config, force=force)
    return merge(findings, [f for f in runtime if f.code in enabled or f.code == "DAG000"])


def _lint(linter: PyLinter, node: nodes.Module, path: str | None) -> list[Finding]:
    config = config_for(path)
    enabled = config.enabled_for(path) | _explicitly_enabled(linter)
    with node.stream() as stream:  # the buffer pylint holds, also for --from-stdin
        source = decode(stream.read())
    findings = lint_source(source, path or "<unknown>", enabled=enabled)
    return _with_runtime(linter, path, config, enabled, findings)


def _explicitly_enabled(linter: PyLinter) -> frozenset[str]:
    """Default-off rules that pylint's own --enable (or an rc file) turned on, as extend-select does.

    Their messages are registered disabled by default, so pylint enables them only when asked.
    """
    return frozenset(r.code for r in RULES.values() if not r.default and linter.is_message_enabled(r.msgid))


class _DagsterChecker(BaseRawFileChecker):
    digit: str = ""

    def process_module(self, node: nodes.Module) -> None:
        for f in _findings(self.linter, node):
            if f.code[3] != self.digit:
                continue
            rule = RULES[f.code]
            self.add_message(
                rule.symbol,
                line=f.line,
                col_offset=f.col,
                end_lineno=f.end_line,
                end_col_offset=f.end_col,
                args=(f.message,),
            )


def _checker_class(digit: str, category: str) -> type[_DagsterChecker]:
    msgs = {
        r.msgid: ("%s", r.symbol, r.summary, {"default_enabled": r.default})
        for r in RULES.values()
        if r.code[3] == digit
    }
    attributes = {"name": f"dagster-lint-{category}", "msgs": msgs, "digit": digit}
    if digit == "0":  # the tool's own checker carries the tool's options
        attributes["options"] = _OPTIONS
    return type(f"Dagster{category.title()}Checker", (_DagsterChecker,), attributes)


_OPTIONS = (
    (
        "dagster-runtime",
        {
            "default": False,
            "type": "yn",
            "metavar": "<y or n>",
            "help": "dagster-lint runtime mode: load the project's Definitions in a child process and report "
            "what the loaded asset graph shows (same as `runtime = true` in [tool.dagster-lint])",
        },
    ),
)


def register(linter: PyLinter) -> None:
    load_rules()
    report_once.prepare_for_workers()
    for digit, category in CATEGORIES.items():
        if any(code[3] == digit for code in RULES):
            linter.register_checker(_checker_class(digit, category)(linter))
