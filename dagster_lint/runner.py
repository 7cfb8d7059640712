"""Lint the CLI's files: findings cached by content, and `-j N` worker processes.

The findings of a file are cached in two parts (see cache.py for where and how):

- those of the single-file rules (and the file's own DAG000), keyed by the file's content
  and path, the enabled rules and the governing configuration;
- those of the project rules (mode P), keyed by the same and by the project's fingerprint:
  a digest of every file the project index reads. Editing another file of the project
  re-runs the project rules only.

The entries of all files live in one manifest per cache location, named after dagster-lint's
own fingerprint (version, code of every rule, Python version), so a new version or a rule edit
never reads old findings (see _Manifest).
"""

from __future__ import annotations

import gc
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dagster_lint import cache, handover, project
from dagster_lint.engine import (
    GEN0_THRESHOLD,
    UnreadableSource,
    apply_noqa,
    decode,
    fewer_collections,
    findings_by_rule,
    internal_failure,
)
from dagster_lint.fixplan import CACHED_FIX
from dagster_lint.registry import RULES, Finding, load_rules

# The engine's pre-filter, on bytes: a file that never says "dagster" is not even decoded.
_MARKER = b"dagster"


@dataclass(frozen=True)
class Task:
    path: str  # as shown, and as the rules see it
    enabled: frozenset[str]
    config: str  # the governing configuration, as a part of the cache key


def run(tasks: list[Task], *, jobs: int = 1) -> list[list[Finding]]:
    """The findings of every task, in the order of `tasks`, whatever `jobs` is."""
    project.forget()  # files may have changed since an earlier run in this process
    linter = Linter()
    with fewer_collections():
        if jobs <= 1 or len(tasks) < 2:
            handover.expect(task.path for task in tasks)
            try:
                results = [linter.lint(task) for task in tasks]
            finally:
                handover.clear()
        else:
            plans = [linter.plan(task, keep_data=False) for task in tasks]
            todo = [(plan.task, plan.missing, plan.digest) for plan in plans if plan.missing]
            fresh = iter(_in_workers(todo, jobs))
            results = [linter.finish(plan, *next(fresh)) if plan.missing else plan.result() for plan in plans]
    linter.save()
    return results


def _in_workers(todo: list, jobs: int) -> list:
    """`_analyse_in_worker` over `todo` in `jobs` processes, in order; in this process where the
    platform has no process pool (no semaphores in some sandboxes)."""
    try:
        pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(cache.settings,))
    except (OSError, NotImplementedError, ImportError):
        return [_analyse_in_worker(job) for job in todo]
    with pool:
        chunk = max(1, len(todo) // (jobs * 16))  # small enough to balance, large enough to be cheap
        return list(pool.map(_analyse_in_worker, todo, chunksize=chunk))


def lint_data(data: bytes, path: str, enabled: frozenset[str]) -> list[Finding]:
    """The findings of one buffer (stdin), never cached."""
    linter = Linter(use_cache=False)
    return linter.finish(linter.plan(Task(path, enabled, ""), data=data))


def _start_worker(settings: cache.Settings) -> None:
    cache.configure(enabled=settings.enabled, directory=settings.directory)
    gc.set_threshold(max(gc.get_threshold()[0], GEN0_THRESHOLD), *gc.get_threshold()[1:])


def _analyse_in_worker(job: tuple[Task, dict[str, frozenset[str]], str]) -> tuple[dict[str, list[Finding]], bool]:
    task, groups, digest = job
    try:
        data = Path(task.path).read_bytes()
    except OSError as exc:
        return {"S": [Finding("DAG000", 1, 0, f"cannot read the file: {exc.strerror}")], "P": []}, False
    try:
        return _analyse(data, task, groups), hashlib.sha1(data).hexdigest() == digest
    except Exception as exc:  # never a traceback in the user's terminal
        return {"S": [internal_failure(exc)]}, False


@dataclass
class _Plan:
    """What one file needs: the cached findings of each group, and the groups still to analyse."""

    task: Task
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    found: dict[str, list[Finding]] = field(default_factory=dict)
    missing: dict[str, frozenset[str]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    digest: str = ""
    data: bytes | None = None
    manifest: _Manifest | None = None

    def result(self) -> list[Finding]:
        return [f for group in self.groups for f in self.found.get(group, ())]


class Linter:
    def __init__(self, *, use_cache: bool | None = None):
        self.use_cache = cache.settings.enabled if use_cache is None else use_cache
        self._manifests: dict[Path, _Manifest] = {}

    def lint(self, task: Task) -> list[Finding]:
        plan = self.plan(task)
        return self.finish(plan) if plan.missing else plan.result()

    def plan(self, task: Task, *, data: bytes | None = None, keep_data: bool = True) -> _Plan:
        plan = _Plan(task)
        if data is None:
            try:
                data = Path(task.path).read_bytes()
            except OSError as exc:
                unreadable = Finding("DAG000", 1, 0, f"cannot read the file: {exc.strerror}")
                plan.groups, plan.found = {"S": frozenset()}, {"S": [unreadable]}
                return plan
        if _MARKER not in data:
            return plan  # no group: nothing to report, nothing to cache
        try:
            self._look_up(plan, data)
        except Exception as exc:  # never a traceback in the user's terminal
            plan.groups, plan.found, plan.missing = {"S": frozenset()}, {"S": [internal_failure(exc)]}, {}
        if plan.missing and keep_data:
            plan.data = data
        return plan

    def _look_up(self, plan: _Plan, data: bytes) -> None:
        task = plan.task
        plan.groups = _groups(task.enabled)
        plan.digest = hashlib.sha1(data).hexdigest()
        if self.use_cache and task.path != "-":
            root = project.find_root(Path(task.path))
            plan.manifest = self._manifest(root)
            content = (task.path, task.config, plan.digest)
            for group, codes in plan.groups.items():
                scope = project.fingerprint(root) if group == "P" and root is not None else None
                plan.keys[group] = cache.key(*content, group, sorted(codes), scope)
                cached = plan.manifest.get(os.path.abspath(task.path), group, plan.keys[group])
                if cached is not None:
                    plan.found[group] = cached
        plan.missing = {g: codes for g, codes in plan.groups.items() if g not in plan.found}

    def finish(self, plan: _Plan, fresh: dict[str, list[Finding]] | None = None, same: bool = True) -> list[Finding]:
        """The plan's findings, with `fresh` (or, by default, an analysis now) for its missing groups.
        `same`: the fresh findings are of the content the keys were made from."""
        if fresh is None:
            try:
                fresh = _analyse(plan.data or b"", plan.task, plan.missing) if plan.missing else {}
            except Exception as exc:  # never a traceback in the user's terminal
                fresh, same = {"S": [internal_failure(exc)]}, False
        for group in plan.missing:
            plan.found[group] = fresh.get(group, [])
            if plan.manifest is not None and same:
                plan.manifest.put(os.path.abspath(plan.task.path), group, plan.keys[group], plan.found[group])
        plan.data = None
        return plan.result()

    def save(self) -> None:
        for manifest in self._manifests.values():
            manifest.save()

    def _manifest(self, root: Path | None) -> _Manifest:
        directory = cache.location(root)
        if directory not in self._manifests:
            self._manifests[directory] = _Manifest(cache.Store(directory / "findings"))
        return self._manifests[directory]


class _Manifest:
    """The cached findings of every file linted from one cache location, in one JSON file named
    after the tool's fingerprint: read once, and written once at the end of a run (10,000 small
    files cost more system time than the linting). Each file's entry holds the key of each
    group, so an entry is used only for the content, path, configuration and project it was made
    from. A run merges its entries into what is on disk when it saves: two concurrent runs may
    lose each other's new entries (a miss next time), never mix them up."""

    def __init__(self, store: cache.Store):
        self.store = store
        self.name = cache.tool_fingerprint()
        loaded = store.get(self.name)
        self.entries: dict = loaded if isinstance(loaded, dict) else {}
        self.changed: dict[str, dict] = {}

    def get(self, path: str, group: str, key: str) -> list[Finding] | None:
        entry = self.changed.get(path) or self.entries.get(path)
        try:
            cached_key, rows = entry[group]
            return _load(rows) if cached_key == key else None
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, path: str, group: str, key: str, findings: list[Finding]) -> None:
        entry = self.changed.setdefault(path, dict(self.entries.get(path) or {}))
        entry[group] = [key, [_dump(f) for f in findings]]

    def save(self) -> None:
        if not self.changed:
            return
        on_disk = self.store.get(self.name)
        merged = on_disk if isinstance(on_disk, dict) else {}
        merged.update(self.changed)
        self.store.put(self.name, merged)
        self.store.prune(keep=self.name)  # the manifests of other versions of the tool


def _groups(enabled: frozenset[str]) -> dict[str, frozenset[str]]:
    """The enabled codes split into single-file ("S") and project ("P") rules."""
    load_rules()
    project_codes = frozenset(c for c in enabled if c in RULES and "P" in RULES[c].mode)
    groups = {"S": enabled - project_codes}
    if project_codes:
        groups["P"] = project_codes
    return groups


def _analyse(data: bytes, task: Task, groups: dict[str, frozenset[str]]) -> dict[str, list[Finding]]:
    """Findings of the rules in `groups` by group; the file's own DAG000 goes with "S"."""
    out: dict[str, list[Finding]] = {group: [] for group in groups}
    try:
        source = decode(data)
    except UnreadableSource as exc:
        if "S" in out:
            out["S"].append(Finding("DAG000", 1, 0, str(exc)))
        return out
    enabled = frozenset().union(*groups.values()) | (task.enabled & {"DAG000"})
    for code, findings in findings_by_rule(source, task.path, enabled=enabled).items():
        group = "P" if code and "P" in RULES[code].mode else "S"
        if group in out:
            out[group].extend(findings)
    kept = {id(f) for f in apply_noqa([f for findings in out.values() for f in findings], source)}
    return {group: [f for f in findings if id(f) in kept] for group, findings in out.items()}


def _dump(f: Finding) -> list:
    return [f.code, f.line, f.col, f.message, f.end_line, f.end_col, f.fix is not None]


def _load(data: object) -> list[Finding] | None:
    try:
        return [Finding(code, line, col, message, end_line, end_col, CACHED_FIX if fixable else None)
                for code, line, col, message, end_line, end_col, fixable in data]
    except (TypeError, ValueError):
        return None
