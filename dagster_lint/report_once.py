"""Say something once per run of pylint or flake8, also when they lint in worker processes.

A broken `pyproject.toml` governs every file of a project: its error is reported on the first
file only. pylint -j and flake8 -j fork their workers after loading the plugin, so a small
shared-memory table created before the fork lets the workers agree on who reports.
"""

from __future__ import annotations

import hashlib

from dagster_lint.registry import Finding

_SLOTS = 64
_claimed: set[str] = set()  # in this process
_shared = None  # the table the workers share, when the platform has one


def prepare_for_workers() -> None:
    """Call in the main process, before the front-end starts its workers."""
    global _shared
    if _shared is not None:
        return
    try:
        import multiprocessing

        _shared = multiprocessing.Array("q", _SLOTS)
    except (ImportError, OSError, ValueError):  # no shared memory (some sandboxes): once per process
        _shared = None


def first_time(key: str) -> bool:
    """True for the first caller with this key in the whole run, False for every later one."""
    if key in _claimed:
        return False
    _claimed.add(key)
    table = _shared
    if table is None:
        return True
    digest = int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "little", signed=True) or 1
    with table.get_lock():
        for i in range(_SLOTS):
            if table[i] == digest:
                return False
            if table[i] == 0:
                table[i] = digest
                return True
    return True  # the table is full: report rather than stay silent


def configuration_error(exc: Exception) -> list[Finding]:
    """The DAG000 for a broken configuration, on the first file it governs; [] on the others,
    which dagster-lint skips: rules chosen from a configuration it cannot read would be a guess."""
    if not first_time(f"config:{exc}"):
        return []
    return [Finding("DAG000", 1, 0, f"dagster-lint configuration error: {exc}; dagster-lint skips the files "
                    "it governs until it is fixed")]
