"""One runtime analysis of a project: targets, cached or fresh GraphFacts, runtime checks.

The front-ends ask for the findings of one file (`findings_for`); the analysis runs once per
process and project, and once per project content across processes (the cache).
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from dagster_lint.config import Config, RuntimeOptions
from dagster_lint.registry import RUNTIME, Finding, load_rules
from dagster_lint.runtime import child
from dagster_lint.runtime.cache import FactsCache, cache_key, project_digest
from dagster_lint.runtime.graph import GraphFacts, Location
from dagster_lint.runtime.rules._common import Graph
from dagster_lint.runtime.targets import Target, discover


@dataclass
class Report:
    root: Path
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # by resolved path
    facts: list[GraphFacts] = field(default_factory=list)
    loads: int = 0  # child processes started (0 when everything came from the cache)
    _seen: set[tuple[str, str, int]] = field(default_factory=set, repr=False)

    def for_file(self, path: str | os.PathLike) -> list[Finding]:
        return self.findings.get(str(Path(path).resolve()), [])

    def add(self, path: str, finding: Finding) -> None:
        """Places come resolved from the child or the project index; one finding per code and line."""
        if (path, finding.code, finding.line) not in self._seen:
            self._seen.add((path, finding.code, finding.line))
            self.findings.setdefault(path, []).append(finding)


def analyse(root: Path, options: RuntimeOptions, explicit: tuple[str, ...] = (), *, use_cache: bool = True) -> Report:
    """Load every target of the project at `root` (or read its facts) and run the runtime checks."""
    load_rules()
    root = root.resolve()
    python = interpreter(options, root)
    targets = discover(root, options.definitions, explicit, python)
    report = Report(root)
    digest = project_digest(root)
    cache = FactsCache(root)
    for target in targets:
        target_python = interpreter(replace(options, python=target.python), root) if target.python else python
        key = cache_key(target, target_python, options, digest)
        facts = cache.get(key) if use_cache else None
        if facts is None:
            with cache.lock(key):
                facts = cache.get(key) if use_cache else None
                if facts is None:
                    facts = child.load(target, target_python, options, root)
                    if facts.definitions is None and target.source_file:  # it failed before importing it
                        facts.definitions = Location(str(Path(target.source_file).resolve()), 1)
                    report.loads += 1
                    cache.put(key, facts)
        report.facts.append(facts)
        run_checks(facts, options, root, report, target)
    return report


def interpreter(options: RuntimeOptions, root: Path) -> str:
    if not options.python:
        return sys.executable
    path = Path(os.path.expanduser(options.python))
    return str(path if path.is_absolute() else (root / path))


def run_checks(
    facts: GraphFacts, options: RuntimeOptions, root: Path, report: Report, target: Target | None = None
) -> None:
    # The checks make no cyclic garbage, but every collection would walk all facts of a large
    # graph again: with the collector on, the time grows faster than the graph.
    enabled = gc.isenabled()
    gc.disable()
    try:
        _run_checks(Graph(facts, options, root), report, target)
    finally:
        if enabled:
            gc.enable()


def _run_checks(graph: Graph, report: Report, target: Target | None) -> None:
    for code, part in sorted(RUNTIME.items()):
        try:
            for hit in part.check(graph):
                if hit is None:
                    continue
                path, line, col = hit.place
                report.add(path, Finding(code, line, col, part.format(hit.args)))
        except Exception as exc:  # a check bug must not hide the other checks' findings
            place = graph.locate.definitions() or _target_file(target)
            if place is not None:
                report.add(place[0], Finding(
                    "DAG000", 1, 0,
                    f"internal error in runtime check {code}: {type(exc).__name__}: {exc}; the other checks still "
                    "ran. Please report this with the project.",
                ))


def _target_file(target: Target | None):
    return (target.source_file, 1, 0) if target is not None and target.source_file else None


def merge(static: list[Finding], runtime: list[Finding]) -> list[Finding]:
    """Static and runtime findings of one file; a code reported on the same line by both (a P rule
    and its R twin) is reported once, with the runtime message, which comes from the real graph."""
    taken = {(f.code, f.line) for f in runtime}
    kept = [f for f in static if (f.code, f.line) not in taken]
    return sorted(kept + runtime, key=lambda f: (f.line, f.col, f.code))


# ----------------------------------------------------------------------------- per process
_reports: dict[tuple, Report] = {}


def report_for(config: Config, *, force: bool = False, explicit: tuple[str, ...] = (),
               overrides: dict | None = None) -> Report | None:
    """The runtime report of the project `config` governs, when runtime mode is on for it
    (`runtime = true`, or `force` from a front-end switch). Computed once per process."""
    options = replace(config.runtime, **(overrides or {}))
    if not (options.enabled or force or explicit) or config.root is None:
        return None
    memo = (str(config.root), options, explicit)
    if memo not in _reports:
        _reports[memo] = analyse(config.root, options, explicit)
    return _reports[memo]
