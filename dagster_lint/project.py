"""ProjectIndex: what every module of a project defines, without importing any of it.

Project rules (mode P) ask it which asset keys exist, where, and whether the project has
producers whose keys cannot be read from source (factories, dbt, components): then they stay
silent. Per-file summaries are cached on disk by content hash, so an editor that lints one
buffer re-reads only the files that changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dagster_lint import __version__, cache
from dagster_lint.cache import key as cache_key
from dagster_lint.cache import settings as cache_settings
from dagster_lint.config import config_for
from dagster_lint.keys import Key, ModuleKeys, Opaque, Produced, Reference, analyse
from dagster_lint.model import ModuleModel

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
    text_digest: str = ""  # of the decoded text the summary was made from (see with_module)

    def where(self, root: Path, line: int) -> str:
        try:
            shown = self.path.relative_to(root).as_posix()
        except ValueError:
            shown = self.path.name
        return f"{shown}:{line}"


class ProjectIndex:
    def __init__(self, root: Path, entries: dict[Path, Entry], *, grouped: bool = False):
        self.root = root
        self.entries = entries
        if grouped:
            return
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
        old = self.entries.get(path)
        if old is not None and old.text_digest and old.text_digest == text_digest(model.source):
            return self  # the buffer is the file the index read (the CLI, a saved editor buffer)
        summary = Summary.of(model)
        entries = dict(self.entries)
        if old is not None and _locates(old.summary) == _locates(summary):
            # The code locations stay as they are (always so when the buffer is the saved file):
            # the other entries keep their groups, and the view costs one summary.
            entries[path] = Entry(path, summary, old.group)
            return ProjectIndex(self.root, entries, grouped=True)
        # Regroup copies: the entries of this index must keep the groups of the files on disk.
        entries = {p: Entry(e.path, e.summary) for p, e in entries.items()}
        entries[path] = Entry(path, summary)
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


def _locates(summary: Summary) -> tuple[bool, bool]:
    """What of a module decides the code locations of the others (see ProjectIndex._group)."""
    return summary.defines_definitions, summary.loads_defs_folder


def _under_defs(path: Path, location: Path) -> bool:
    """`load_from_defs_folder` loads the `defs` package beside the module that calls it."""
    return (location / "defs") in path.parents


def find_root(path: Path) -> Path | None:
    """The directory of the nearest pyproject.toml / setup.cfg / setup.py above `path`."""
    start = os.path.abspath(path)
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    return _root_of(_real_dir(start))


@functools.lru_cache(maxsize=4096)
def _real_dir(directory: str) -> str:
    return os.path.realpath(directory)


@functools.lru_cache(maxsize=4096)
def _root_of(directory: str) -> Path | None:
    """find_root of a resolved directory, once per directory (the CLI asks for every file)."""
    if any(os.path.isfile(os.path.join(directory, marker)) for marker in ROOT_MARKERS):
        return Path(directory)
    parent = os.path.dirname(directory)
    return _root_of(parent) if parent != directory else None


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


_fingerprints: dict[Path, str] = {}


def fingerprint(root: Path) -> str:
    """A digest of what the index of `root` is built from (every file it reads, by path and
    content, and the code that reads them), without building it: the CLI keys the cached
    findings of project rules by it. Computed once per process, like the index."""
    if root not in _fingerprints:
        digest = hashlib.sha1(_analysis_fingerprint().encode())
        for file in project_files(root):
            try:
                data = file.read_bytes()
            except OSError:
                continue
            if _MARKER in data:
                digest.update(f"{file}\0".encode() + hashlib.sha1(data).digest())
        _fingerprints[root] = digest.hexdigest()
    return _fingerprints[root]


def forget() -> None:
    """Drop the indexes built so far: the next question reads the project again (a new CLI run)."""
    _indexes.clear()
    _fingerprints.clear()


def build_index(root: Path, *, use_cache: bool = True) -> ProjectIndex:
    from dagster_lint.engine import UnreadableSource, decode, parse
    from dagster_lint.model import build

    cache = _Cache(root) if use_cache and cache_settings.enabled else None
    entries: dict[Path, Entry] = {}
    for file in project_files(root):
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if _MARKER not in data:
            continue
        # The summary depends on the path too (test modules): two copies of a file are two entries.
        key = cache_key(str(file), hashlib.sha1(data).hexdigest())
        summary, text = cache.get(key) if cache else (None, "")
        if summary is None:
            try:
                source = decode(data)
                tree = parse(source, str(file))
            except (UnreadableSource, SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            text = text_digest(source)
            try:
                model = build(tree, source, str(file))
                summary = Summary.of(model)
                model.release()
            except Exception as exc:  # one odd file must not break the project rules of the others
                # What the file produces is unknown, so the project rules must not claim a key is missing.
                summary = Summary(opaque=[Opaque(f"dagster-lint could not read {file.name} ({type(exc).__name__})", 1)])
            if cache:
                cache.put(key, summary, text)
        entries[file] = Entry(file, summary, text_digest=text)
    return ProjectIndex(root, entries)


def text_digest(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()


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
    """Summaries by content hash, in the index store of the project's cache (see cache.py)."""

    def __init__(self, root: Path):
        self.store = cache.Store(cache.location(root) / f"index-{__version__}-{_analysis_fingerprint()}")

    def get(self, key: str) -> tuple[Summary | None, str]:
        """The summary and the digest of the text it was made from, or (None, "")."""
        data = self.store.get(key)
        try:
            return Summary.from_json(data["summary"]), data["text"]
        except (KeyError, TypeError, AttributeError, ValueError):
            return None, ""

    def put(self, key: str, summary: Summary, text: str) -> None:
        self.store.put(key, {"summary": summary.to_json(), "text": text})
