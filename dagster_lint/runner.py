"""Lint the CLI's files: findings cached by content, and `-j N` worker processes.

The findings of a file are cached in two parts (see cache.py for where and how):

- those of the single-file rules (and the file's own DAG000), keyed by the file's content
  and path, the enabled rules and the governing configuration;
- those of the project rules (mode P), keyed by the same and by the project's fingerprint:
  a digest of every file the project index reads. Editing another file of the project
  re-runs the project rules only.

Both keys live in a directory named after dagster-lint's own fingerprint (version, code of
every rule, Python version), so a new version or a rule edit never reads old findings.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dagster_lint import cache, project
from dagster_lint.engine import UnreadableSource, apply_noqa, decode, findings_by_rule, internal_failure
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
    if jobs <= 1 or len(tasks) < 2:
        with _fewer_collections():
            linter = Linter()
            return [linter.lint(task) for task in tasks]
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(cache.settings,)) as pool:
        chunk = max(1, len(tasks) // (jobs * 16))  # small enough to balance, large enough to be cheap
        return list(pool.map(_lint_in_worker, tasks, chunksize=chunk))


@contextlib.contextmanager
def _fewer_collections():
    """Parsing allocates nodes by the million, and each allocation counts towards the next run
    of the cycle collector, which then scans the trees being built (and every module loaded).
    Trees have no cycles and the engine frees each model at once (ModuleModel.release), so
    collecting ten times less often costs no memory and saves about a sixth of a run."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], _GEN0_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


_GEN0_THRESHOLD = 10_000


def lint_data(data: bytes, path: str, enabled: frozenset[str]) -> list[Finding]:
    """The findings of one buffer (stdin), never cached."""
    return Linter(use_cache=False).lint_data(data, Task(path, enabled, ""))


_worker: Linter | None = None


def _start_worker(settings: cache.Settings) -> None:
    global _worker
    cache.configure(enabled=settings.enabled, directory=settings.directory)
    gc.set_threshold(max(gc.get_threshold()[0], _GEN0_THRESHOLD), *gc.get_threshold()[1:])
    _worker = Linter()


def _lint_in_worker(task: Task) -> list[Finding]:
    assert _worker is not None
    return _worker.lint(task)


class Linter:
    def __init__(self, *, use_cache: bool | None = None):
        self.use_cache = cache.settings.enabled if use_cache is None else use_cache
        self._stores: dict[Path, cache.Store] = {}

    def lint(self, task: Task) -> list[Finding]:
        try:
            data = Path(task.path).read_bytes()
        except OSError as exc:
            return [Finding("DAG000", 1, 0, f"cannot read the file: {exc.strerror}")]
        return self.lint_data(data, task)

    def lint_data(self, data: bytes, task: Task) -> list[Finding]:
        if _MARKER not in data:
            return []
        try:
            return self._lint(data, task)
        except Exception as exc:  # never a traceback in the user's terminal
            return [internal_failure(exc)]

    def _lint(self, data: bytes, task: Task) -> list[Finding]:
        groups = _groups(task.enabled)
        keys: dict[str, str] = {}
        found: dict[str, list[Finding]] = {}
        store = None
        if self.use_cache and task.path != "-":
            root = project.find_root(Path(task.path))
            store = self._store(root)
            content = (os.path.abspath(task.path), task.path, task.config, hashlib.sha1(data).hexdigest())
            for group, codes in groups.items():
                scope = project.fingerprint(root) if group == "P" and root is not None else None
                keys[group] = cache.key(*content, group, sorted(codes), scope)
                cached = _load(store.get(keys[group]))
                if cached is not None:
                    found[group] = cached
        missing = [group for group in groups if group not in found]
        if missing:
            fresh = _analyse(data, task, {g: groups[g] for g in missing})
            for group in missing:
                found[group] = fresh[group]
                if store is not None:
                    store.put(keys[group], [_dump(f) for f in fresh[group]])
        return [f for group in groups for f in found[group]]

    def _store(self, root: Path | None) -> cache.Store:
        directory = cache.location(root)
        if directory not in self._stores:
            self._stores[directory] = cache.Store(directory / f"findings-{cache.tool_fingerprint()}")
        return self._stores[directory]


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
    return [f.code, f.line, f.col, f.message, f.end_line, f.end_col]


def _load(data: object) -> list[Finding] | None:
    try:
        return [Finding(code, line, col, message, end_line, end_col)
                for code, line, col, message, end_line, end_col in data]
    except (TypeError, ValueError):
        return None
