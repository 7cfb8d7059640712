"""What dagster-lint keeps on disk between runs, and where.

Two stores, both keyed by content so that a stale entry is never read:

- the project index keeps one summary per file (`index-*/`, see project.py);
- the CLI keeps the findings of every file in one manifest (`findings/`, see runner.py).

They live in `.dagster_lint_cache/` at the project root (the directory of the nearest
pyproject.toml, setup.cfg or setup.py; the current directory for files outside any project),
or all in one directory given with `--cache-dir` / `DAGSTER_LINT_CACHE_DIR`. `--no-cache`
turns both off. Every entry is written to a temporary file and renamed into place, so
concurrent linters (`-j`, pylint and flake8 workers, an editor beside a CI run) never read a
half-written one; an entry that cannot be read is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dagster_lint import __version__

CACHE_DIR = ".dagster_lint_cache"
ENV_DIR = "DAGSTER_LINT_CACHE_DIR"


@dataclass
class Settings:
    enabled: bool = True
    directory: Path | None = None  # one directory for every project instead of one per project


settings = Settings()


def configure(*, enabled: bool, directory: Path | None) -> None:
    """Settings for this run: `directory` (else $DAGSTER_LINT_CACHE_DIR) holds every project's cache."""
    settings.enabled = enabled
    from_env = os.environ.get(ENV_DIR)
    settings.directory = directory if directory is not None else Path(from_env) if from_env else None


def location(root: Path | None) -> Path:
    """The cache directory for a project root (None: a file outside any project)."""
    if settings.directory is not None:
        return settings.directory
    return (root if root is not None else Path.cwd()) / CACHE_DIR


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """Changes with dagster-lint's version, its code and data (every rule included) and the
    Python version (what `ast` can parse), so that no entry outlives the code that made it."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1(f"{__version__}|{sys.version_info[:2]}".encode())
    for source in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def key(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class Store:
    """JSON values by key, one file each, in `directory`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.writable = True

    def get(self, name: str) -> object | None:
        try:
            with open(self.directory / f"{name}.json", encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return None

    def put(self, name: str, value: object) -> None:
        if not self.writable:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(value, fh, separators=(",", ":"))
                os.replace(tmp, self.directory / f"{name}.json")
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            self.writable = False  # a read-only checkout: lint without caching

    def prune(self, *, keep: str) -> None:
        """Remove every entry but `keep` (the stores of other versions of the tool)."""
        for path in self.directory.glob("*.json"):
            if path.stem != keep:
                try:
                    path.unlink()
                except OSError:
                    pass
