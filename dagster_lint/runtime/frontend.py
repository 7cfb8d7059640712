"""Runtime mode in the three front-ends: switches, and the findings that belong to one file.

The CLI lints a set of paths: each file gets the runtime findings whose path is that file, and
a load failure (DAG001) is reported even when its file is outside those paths. pylint and
flake8 lint one file at a time (flake8 in parallel workers): each process analyses the project
once, and the cache makes every process after the first read the facts instead of loading.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from dagster_lint.config import Config, ConfigError
from dagster_lint.project import find_root
from dagster_lint.registry import Finding
from dagster_lint.runtime.session import Report, merge, report_for
from dagster_lint.runtime.targets import TargetError

__all__ = ["CliRuntime", "add_cli_arguments", "findings_for_file", "merge"]


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("runtime mode", "load the project's Definitions in a child process and check "
                                      "the real asset graph (off by default; `runtime = true` in [tool.dagster-lint])")
    group.add_argument("--runtime", action="store_true", help="turn runtime mode on")
    group.add_argument("--definitions", action="append", metavar="MODULE:ATTR",
                       help="the Definitions to load: module:attr, module, or file.py[:attr] (implies --runtime)")
    group.add_argument("-m", "--module", action="append", metavar="MODULE",
                       help="a module to load, as `dagster dev -m`")
    group.add_argument("-f", "--file", action="append", metavar="FILE",
                       help="a Python file to load, as `dagster dev -f`")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="give up loading after this long (default 120)")
    group.add_argument("--python", metavar="PATH", help="the project's interpreter (default: this one)")


@dataclass
class CliRuntime:
    """Runtime findings for one CLI run, one analysis per project root."""

    args: argparse.Namespace
    reports: dict[Path, Report | None] = field(default_factory=dict)
    shown: set[tuple[str, str, int]] = field(default_factory=set)

    @property
    def explicit(self) -> tuple[str, ...]:
        a = self.args
        specs = [_from_cwd(s) if s.partition(":")[0].endswith(".py") else s for s in a.definitions or []]
        return tuple(specs + list(a.module or []) + [_from_cwd(f) for f in a.file or []])

    @property
    def forced(self) -> bool:
        return bool(self.args.runtime or self.explicit)

    def overrides(self) -> dict:
        out: dict = {}
        if self.args.timeout is not None:
            if self.args.timeout <= 0:
                raise ConfigError("--timeout must be a positive number of seconds")
            out["timeout"] = self.args.timeout
        if self.args.python:
            # Absolute, not resolved: a virtual environment's python is a symlink that only works
            # as itself.
            out["python"] = str(Path(self.args.python).expanduser().absolute())
        return out

    def report(self, config: Config) -> Report | None:
        root = config.root or (find_root(Path.cwd()) or Path.cwd())
        if root not in self.reports:
            if config.root is None:
                config = Config(root=root)
            self.reports[root] = report_for(config, force=self.forced, explicit=self.explicit,
                                            overrides=self.overrides())
        return self.reports[root]

    def for_file(self, path: str, config: Config) -> list[Finding]:
        report = self.report(config)
        if report is None:
            return []
        found = report.for_file(path)
        self.shown.update((str(Path(path).resolve()), f.code, f.line) for f in found)
        return found

    def unreported(self, enabled_for) -> list[tuple[str, Finding]]:
        """Load failures whose file was not among the linted paths: they are still shown."""
        out = []
        for report in self.reports.values():
            for path, findings in (report.findings.items() if report else ()):
                for f in findings:
                    if f.code == "DAG001" and (path, f.code, f.line) not in self.shown and f.code in enabled_for(path):
                        out.append((path, f))
        return out


def findings_for_file(path: str | None, config: Config, *, force: bool = False) -> list[Finding]:
    """The runtime findings of one file, for pylint and flake8 (empty when runtime mode is off)."""
    if path is None or path in ("-", "stdin", "<stdin>", "<unknown>"):
        return []
    try:
        report = report_for(config, force=force)
    except (TargetError, ConfigError) as exc:
        return [Finding("DAG000", 1, 0, f"dagster-lint runtime mode: {exc}")]
    return report.for_file(path) if report is not None else []


def _from_cwd(spec: str) -> str:
    """A `-f` path is relative to where the command runs, not to the project root."""
    path, sep, attribute = spec.rpartition(":")
    if not sep or not attribute.isidentifier():
        path, attribute = spec, ""
    absolute = str(Path(path).resolve())
    return f"{absolute}:{attribute}" if attribute else absolute
