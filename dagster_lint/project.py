"""ProjectIndex: what every module of a project defines, without importing any of it.

Project rules (mode P) ask it which asset keys exist, where, and whether the project has
producers whose keys cannot be read from source (factories, dbt, components): then they stay
silent. Per-file summaries are cached on disk by content hash, so an editor that lints one
buffer re-reads only the files that changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dagster_lint import __version__
from dagster_lint.config import config_for
from dagster_lint.keys import Key, ModuleKeys, Opaque, Produced, Reference, analyse
from dagster_lint.model import ModuleModel

CACHE_DIR = ".dagster_lint_cache"
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py")
_MARKER = b"dagster"


@dataclass
class Summary:
    """The project-relevant facts of one module, small enough to cache as JSON."""

    produced: list[Produced] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    opaque: list[Opaque] = field(default_factory=list)
    names: dict[str, Key] = field(default_factory=dict)
    resource_classes: list[str] = field(default_factory=list)
    defines_definitions: bool = False
    loads_defs_folder: bool = False
    is_test: bool = False
    # Domain facts (resources, partitions, jobs, ...): JSON values from dagster_lint.facts extractors.
    facts: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, model: ModuleModel) -> Summary:
        from dagster_lint.facts import extract_all

        keys: ModuleKeys = analyse(model)
        return cls(
            keys.produced,
            keys.references,
            keys.opaque,
            keys.names,
            keys.resource_classes,
            keys.defines_definitions,
            keys.loads_defs_folder,
            model.is_test_module,
            extract_all(model),
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        return cls(
            produced=[Produced(tuple(p.pop("key")), **p) for p in data["produced"]],
            references=[
                Reference(tuple(r.pop("key")) if r["key"] is not None else None, **r) for r in data["references"]
            ],
            opaque=[Opaque(**o) for o in data["opaque"]],
            names={k: tuple(v) for k, v in data["names"].items()},
            resource_classes=data["resource_classes"],
            defines_definitions=data["defines_definitions"],
            loads_defs_folder=data["loads_defs_folder"],
            is_test=data["is_test"],
            facts=data["facts"],
        )


@dataclass
class Entry:
    path: Path  # absolute
    summary: Summary
    group: str = ""  # the code location it belongs to: see ProjectIndex._group

    def where(self, root: Path, line: int) -> str:
        try:
            shown = self.path.relative_to(root).as_posix()
        except ValueError:
            shown = self.path.name
        return f"{shown}:{line}"


class ProjectIndex:
    def __init__(self, root: Path, entries: dict[Path, Entry]):
        self.root = root
        self.entries = entries
        locations = {e.path.parent for e in entries.values() if e.summary.defines_definitions}
        defs_folders = {e.path.parent for e in entries.values() if e.summary.loads_defs_folder}
        for entry in entries.values():
            entry.group = self._group(entry.path, locations, defs_folders)

    def _group(self, path: Path, locations: set[Path], defs_folders: set[Path]) -> str:
        """The code location a file belongs to: the nearest directory above it with a module that
        builds `Definitions` (lessons, examples, monorepo members each get their own), else the
        import root. A location that loads a `defs/` folder does not load files outside it."""
        import_root = None
        for directory in path.parents:
            if directory in locations:
                if directory in defs_folders and not _under_defs(path, directory):
                    return str(path.parent)  # next to the location, but nothing loads it with it
                return str(directory)
            if import_root is None and not (directory / "__init__.py").is_file():
                import_root = directory
            if directory == self.root:
                break
        return str(import_root or path.parent)

    def facts(self, domain: str, *, tests: bool = False):
        """(entry, facts) of every module for one domain of dagster_lint.facts."""
        entries = self.entries.values() if tests else self.production()
        return [(e, e.summary.facts[domain]) for e in entries if e.summary.facts.get(domain)]

    def entry_of(self, model: ModuleModel) -> Entry | None:
        """The entry of the module being linted (its buffer, not the file on disk)."""
        return self.entries.get(Path(model.path).resolve())

    @property
    def resource_classes(self) -> frozenset[str]:
        return frozenset(name for e in self.entries.values() for name in e.summary.resource_classes)

    # ------------------------------------------------------------------ queries
    def with_module(self, path: Path, model: ModuleModel) -> ProjectIndex:
        """A view where `path` has the content of `model` (an unsaved editor buffer)."""
        entries = dict(self.entries)
        entries[path] = Entry(path, Summary.of(model))
        return ProjectIndex(self.root, entries)

    def production(self) -> list[Entry]:
        return [e for e in self.entries.values() if not e.summary.is_test]

    def opaque(self) -> list[tuple[Entry, Opaque]]:
        return [(e, o) for e in self.production() for o in e.summary.opaque]

    def producers(self, key: Key) -> list[tuple[Entry, Produced]]:
        return [(e, p) for e in self.production() for p in e.summary.produced if p.key == key]

    def known_keys(self) -> dict[Key, tuple[Entry, Produced]]:
        out: dict[Key, tuple[Entry, Produced]] = {}
        for e in self.production():
            for p in e.summary.produced:
                out.setdefault(p.key, (e, p))
        return out

    def where(self, entry: Entry, line: int) -> str:
        return entry.where(self.root, line)


def _under_defs(path: Path, location: Path) -> bool:
    """`load_from_defs_folder` loads the `defs` package beside the module that calls it."""
    return (location / "defs") in path.parents


def find_root(path: Path) -> Path | None:
    """The directory of the nearest pyproject.toml / setup.cfg / setup.py above `path`."""
    start = path.resolve()
    directory = start if start.is_dir() else start.parent
    for d in (directory, *directory.parents):
        if any((d / marker).is_file() for marker in ROOT_MARKERS):
            return d
    return None


# ---------------------------------------------------------------------- building
_indexes: dict[Path, ProjectIndex] = {}


def index_for(path: str | os.PathLike) -> ProjectIndex | None:
    """The index of the project that contains `path`, built once per process."""
    root = find_root(Path(path))
    if root is None:
        return None
    if root not in _indexes:
        _indexes[root] = build_index(root)
    return _indexes[root]


def build_index(root: Path, *, use_cache: bool = True) -> ProjectIndex:
    from dagster_lint.engine import UnreadableSource, decode, parse
    from dagster_lint.model import build

    cache = _Cache(root) if use_cache else None
    entries: dict[Path, Entry] = {}
    for file in project_files(root):
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if _MARKER not in data:
            continue
        digest = hashlib.sha1(data).hexdigest()
        summary = cache.get(digest) if cache else None
        if summary is None:
            try:
                source = decode(data)
                tree = parse(source, str(file))
            except (UnreadableSource, SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            try:
                summary = Summary.of(build(tree, source, str(file)))
            except Exception as exc:  # one odd file must not break the project rules of the others
                # What the file produces is unknown, so the project rules must not claim a key is missing.
                summary = Summary(opaque=[Opaque(f"dagster-lint could not read {file.name} ({type(exc).__name__})", 1)])
            if cache:
                cache.put(digest, summary)
        entries[file] = Entry(file, summary)
    return ProjectIndex(root, entries)


def project_files(root: Path):
    config = config_for(root)
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
        for name in sorted(filenames):
            if name.endswith(".py") and not config.is_excluded(here / name):
                yield (here / name).resolve()


@functools.lru_cache(maxsize=1)
def _analysis_fingerprint() -> str:
    """Changes whenever the code that computes summaries changes, so no stale entry is read."""
    from dagster_lint import facts, keys, model

    digest = hashlib.sha1()
    sources = [Path(m.__file__) for m in (keys, model, sys.modules[__name__])]
    sources += sorted(Path(facts.__file__).parent.glob("*.py"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


class _Cache:
    """Summaries by content hash under <root>/.dagster_lint_cache/<version>/.

    Writes go to a temporary file that is renamed into place, so concurrent linters (flake8
    workers, pylint -j) never read a half-written entry.
    """

    def __init__(self, root: Path):
        self.directory = root / CACHE_DIR / f"index-{__version__}-{_analysis_fingerprint()}"
        self.writable = True

    def get(self, digest: str) -> Summary | None:
        try:
            with open(self.directory / f"{digest}.json", encoding="utf-8") as fh:
                return Summary.from_json(json.load(fh))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, digest: str, summary: Summary) -> None:
        if not self.writable:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(summary.to_json(), fh)
            os.replace(tmp, self.directory / f"{digest}.json")
        except OSError:
            self.writable = False  # a read-only checkout: lint without caching
