"""GraphFacts on disk, keyed by everything a load depends on.

The key hashes the project's Python, YAML and TOML files, the interpreter (its path and the
state of its site-packages, which changes when packages are installed), the target, the
runtime options that change results, and the code of dagster-lint that produces facts. A second
run on an unchanged project reads the facts instead of loading again; so does every pylint or
flake8 process after the first, and a lock file makes parallel first runs wait for one load.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from dagster_lint import __version__
from dagster_lint.cache import location, settings
from dagster_lint.config import RuntimeOptions, config_for
from dagster_lint.runtime.graph import SCHEMA, GraphFacts
from dagster_lint.runtime.targets import Target

SUFFIXES = (".py", ".yaml", ".yml", ".toml")
_KEEP = 64  # entries kept per project; older ones are removed


def project_digest(root: Path) -> str:
    """A hash of the content of the project files a load can read (not their times)."""
    config = config_for(root)
    digest = hashlib.sha256()
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES):
                path = here / name
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha1(data).digest())
    return digest.hexdigest()


def interpreter_fingerprint(python: str) -> str:
    """The interpreter and its installed packages, without running it: installing or removing
    a package changes the modification time of its site-packages directory."""
    exe = Path(python)
    parts = [str(exe.resolve()) if exe.exists() else python]
    prefix = exe.parent.parent
    for site in sorted(prefix.glob("lib/python*/site-packages")) + sorted(prefix.glob("Lib/site-packages")):
        with contextlib.suppress(OSError):
            parts.append(f"{site}:{site.stat().st_mtime_ns}")
    with contextlib.suppress(OSError):
        parts.append(str(exe.resolve().stat().st_mtime_ns))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Changes when the code that produces GraphFacts changes."""
    here = Path(__file__).parent
    digest = hashlib.sha256(f"{__version__}:{SCHEMA}".encode())
    for name in ("loader.py", "graph.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def cache_key(target: Target, python: str, options: RuntimeOptions, project: str) -> str:
    parts = {
        "code": _code_fingerprint(),
        "target": target.request(),
        "python": interpreter_fingerprint(python),
        "evaluation_time": options.evaluation_time,
        "timeout": options.timeout,
        "project": project,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


class FactsCache:
    """<cache>/runtime/<key>.json (the project's cache location, see dagster_lint.cache), written
    atomically. With `--no-cache` nothing is read: the project is loaded again."""

    def __init__(self, root: Path):
        self.directory = location(root) / "runtime"

    def get(self, key: str) -> GraphFacts | None:
        if not settings.enabled:
            return None
        try:
            return GraphFacts.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, facts: GraphFacts) -> None:
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(facts.dumps())
            os.replace(tmp, self.directory / f"{key}.json")
            self._prune()
        except OSError:
            pass  # a read-only checkout: load every time

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """Held while one process loads; the others wait, then read what it wrote."""
        try:
            self._prepare()
            fh = open(self.directory / f"{key}.lock", "a+")
        except OSError:
            yield
            return
        with fh:
            if sys.platform == "win32":  # pragma: no cover
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            yield

    def _prepare(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        gitignore = self.directory.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")

    def _prune(self) -> None:
        entries = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()
                old.with_suffix(".lock").unlink()
