"""flake8 front-end: `DAG` codes appear once the package is installed."""

from __future__ import annotations

import ast
from typing import Iterator

from dagster_lint import __version__, report_once
from dagster_lint.config import ConfigError, config_for
from dagster_lint.engine import fewer_collections, internal_failure, lint_source
from dagster_lint.registry import RULES, load_rules


class DagsterLintPlugin:
    name = "dagster-lint"
    version = __version__

    # Codes flake8's own --select/--extend-select name exactly: they turn on rules that are off by default.
    _flake8_selected: frozenset[str] = frozenset()
    _runtime: bool = False  # --dagster-runtime (or `dagster-runtime = true` in flake8's configuration)

    def __init__(self, tree: ast.Module, lines: list[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, parser) -> None:
        parser.add_option(
            "--dagster-runtime", action="store_true", default=False, parse_from_config=True,
            help="dagster-lint runtime mode: load the project's Definitions in a child process and report what "
            "the loaded asset graph shows (same as `runtime = true` in [tool.dagster-lint])",
        )

    @classmethod
    def parse_options(cls, options) -> None:
        cls._runtime = bool(getattr(options, "dagster_runtime", False))
        load_rules()
        report_once.prepare_for_workers()
        named = []
        for attr in ("select", "extend_select", "enable_extensions"):
            value = getattr(options, attr, None) or []
            named.extend([value] if isinstance(value, str) else value)
        cls._flake8_selected = frozenset(code for code in named if code in RULES)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            with fewer_collections():
                findings = self._findings()
        except Exception as exc:  # never a traceback in the user's flake8 run
            findings = [internal_failure(exc)]
        for f in findings:
            yield f.line, f.col, f"{f.code} {f.message}", type(self)

    def _findings(self):
        try:
            config = config_for(None if self.filename in ("stdin", "-") else self.filename)
        except ConfigError as exc:
            return report_once.configuration_error(exc)
        enabled = config.enabled_for(self.filename) | self._flake8_selected
        findings = lint_source("".join(self.lines), self.filename, enabled=enabled, tree=self.tree)
        if self._runtime or config.runtime.enabled:
            from dagster_lint.runtime.frontend import findings_for_file, merge

            runtime = findings_for_file(self.filename, config, force=self._runtime)
            findings = merge(findings, [f for f in runtime if f.code in enabled or f.code == "DAG000"])
        return findings
