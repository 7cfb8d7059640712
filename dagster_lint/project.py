"""ProjectIndex: what every module of a project defines, without importing any of it.

Project rules (mode P) ask it which asset keys exist, where, what a Python name imported from
another module stands for, which modules feed which `Definitions`, and whether some producer
whose keys cannot be read from source (factories, dbt, YAML components) might produce a key:
then they stay silent about it. Per-file summaries are cached on disk by content hash, so an
editor that lints one buffer re-reads only the files that changed. Project-wide maps are
computed once per index (cached properties), not once per linted file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from dagster_lint import __version__, handover
from dagster_lint.cache import location as cache_location
from dagster_lint.cache import Store
from dagster_lint.cache import settings as cache_settings
from dagster_lint.config import config_for, resolved_dir
from dagster_lint.engine import UnreadableSource, decode, parse
from dagster_lint.keys import Key, ModuleKeys, Opaque, Produced, Reference, analyse, names_only
from dagster_lint.model import ModuleModel, build, is_test_path

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py")
COMPONENT_FILES = ("defs.yaml", "component.yaml")
_MARKER = b"dagster"
DEFAULT_GROUP = "default"


@dataclass
class Summary:
    """The project-relevant facts of one module, small enough to cache as JSON."""

    produced: list[Produced] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    opaque: list[Opaque] = field(default_factory=list)
    names: dict[str, list[Key]] = field(default_factory=dict)
    resource_classes: list[str] = field(default_factory=list)
    config_classes: list[str] = field(default_factory=list)
    class_bases: dict[str, list[str]] = field(default_factory=dict)
    defines_definitions: bool = False
    loads_defs_folder: bool = False
    is_test: bool = False
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    constants: dict[str, object] = field(default_factory=dict)
    # Domain facts (resources, partitions, jobs, ...): JSON values from dagster_lint.facts extractors.
    facts: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, model: ModuleModel, *, dagster: bool = True) -> Summary:
        """The summary of a module; `dagster=False` for one that never says "dagster", which
        contributes only the names other modules import from it."""
        from dagster_lint.facts import extract_all

        keys: ModuleKeys = analyse(model) if dagster else names_only(model)
        return cls(
            produced=keys.produced,
            references=keys.references,
            opaque=keys.opaque,
            names=keys.names,
            resource_classes=keys.resource_classes,
            config_classes=keys.config_classes,
            class_bases=keys.class_bases,
            defines_definitions=keys.defines_definitions,
            loads_defs_folder=keys.loads_defs_folder,
            is_test=model.is_test_module,
            imports=keys.imports,
            star_imports=keys.star_imports,
            constants=keys.constants,
            facts=extract_all(model) if dagster else {},
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        def key(value):
            return tuple(value) if value is not None else None

        return cls(
            produced=[Produced(**{**p, "key": tuple(p["key"])}) for p in data["produced"]],
            references=[
                Reference(**{**r, "key": key(r["key"]), "source": key(r["source"])}) for r in data["references"]
            ],
            opaque=[Opaque(**o) for o in data["opaque"]],
            names={k: [tuple(v) for v in vs] for k, vs in data["names"].items()},
            resource_classes=data["resource_classes"],
            config_classes=data["config_classes"],
            class_bases=data["class_bases"],
            defines_definitions=data["defines_definitions"],
            loads_defs_folder=data["loads_defs_folder"],
            is_test=data["is_test"],
            imports=data["imports"],
            star_imports=data["star_imports"],
            constants=data["constants"],
            facts=data["facts"],
        )


@dataclass(eq=False)
class Entry:
    path: Path  # absolute
    summary: Summary
    digest: str = ""  # sha1 of the file's bytes
    group: str = ""  # the code location it belongs to: see ProjectIndex._group

    def where(self, root: Path, line: int) -> str:
        try:
            shown = self.path.relative_to(root).as_posix()
        except ValueError:
            shown = self.path.name
        return f"{shown}:{line}"


@dataclass(frozen=True)
class Resolved:
    """What a dependency names: `keys` when known; `unknown` when provably nothing produces it
    (no opaque producer could either); neither when the index cannot tell."""

    keys: tuple[Key, ...] = ()
    unknown: bool = False
    via_group: bool = False  # a one-part key Dagster matches to a prefixed asset of the same group


class ProjectIndex:
    def __init__(self, root: Path, entries: dict[Path, Entry], components: tuple[Path, ...] = ()):
        self.root = root
        self.entries = entries
        self.components = components  # YAML component files under the root
        self._memo: dict[object, object] = {}
        locations = {e.path.parent for e in entries.values() if e.summary.defines_definitions}
        defs_folders = {e.path.parent for e in entries.values() if e.summary.loads_defs_folder}
        packages: dict[Path, bool] = {}
        for entry in entries.values():
            entry.group = self._group(entry.path, locations, defs_folders, packages)

    def _group(self, path: Path, locations: set[Path], defs_folders: set[Path], packages: dict[Path, bool]) -> str:
        """The code location a file belongs to: the nearest directory above it with a module that
        builds `Definitions` (lessons, examples, monorepo members each get their own), else the
        import root. A location that loads a `defs/` folder does not load files outside it.
        `packages` caches which directories hold an `__init__.py`."""
        import_root = None
        for directory in path.parents:
            if directory in locations:
                if directory in defs_folders and not _under_defs(path, directory):
                    return str(path.parent)  # next to the location, but nothing loads it with it
                return str(directory)
            if import_root is None:
                if directory not in packages:
                    packages[directory] = (directory / "__init__.py").is_file()
                if not packages[directory]:
                    import_root = directory
            if directory == self.root:
                break
        return str(import_root or path.parent)

    def memo(self, key: object, compute: Callable[[], object]):
        """A value computed once per index: rules keep project-wide maps here."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ------------------------------------------------------------------ entries
    def facts(self, domain: str, *, tests: bool = False):
        """(entry, facts) of every module for one domain of dagster_lint.facts."""
        return self.memo(("facts", domain, tests), lambda: [
            (e, e.summary.facts[domain]) for e in (self.entries.values() if tests else self.production())
            if e.summary.facts.get(domain)
        ])

    def entry_of(self, model: ModuleModel) -> Entry | None:
        """The entry of the module being linted (its buffer, not the file on disk)."""
        return self.memo(("entry_of", model.path), lambda: self.entries.get(Path(model.path).resolve()))

    @functools.cached_property
    def _class_kinds(self) -> dict[str, str]:
        """"resource" or "config" by class name, through bases defined in other modules
        (`class ShopApi(BaseApi)` where `BaseApi(dg.ConfigurableResource)` lives elsewhere)."""
        kinds: dict[str, str] = {}
        pending: dict[str, list[str]] = {}
        for e in self.entries.values():
            kinds.update(dict.fromkeys(e.summary.resource_classes, "resource"))
            kinds.update(dict.fromkeys(e.summary.config_classes, "config"))
            pending.update(e.summary.class_bases)
        changed = True
        while changed:
            changed = False
            for name, bases in pending.items():
                if name not in kinds:
                    kind = next((kinds[b] for b in bases if b in kinds), None)
                    if kind is not None:
                        kinds[name] = kind
                        changed = True
        return kinds

    @functools.cached_property
    def resource_classes(self) -> frozenset[str]:
        return frozenset(name for name, kind in self._class_kinds.items() if kind == "resource")

    @functools.cached_property
    def config_classes(self) -> frozenset[str]:
        return frozenset(name for name, kind in self._class_kinds.items() if kind == "config")

    def with_module(self, path: Path, model: ModuleModel) -> ProjectIndex:
        """A view where `path` has the content of `model` (an unsaved editor buffer). When the
        buffer is what the index already read, the index itself, with its computed maps."""
        existing = self.entries.get(path)
        digest = hashlib.sha1(model.source.encode("utf-8", "surrogatepass")).hexdigest()
        if existing is not None and existing.digest == digest:
            return self
        try:
            summary = Summary.of(model)
        except Exception:  # the rules that read the index will not see this buffer's edits
            return self
        if existing is not None and existing.summary == summary:
            return self
        # New entries: the view assigns code locations of its own, the index keeps its.
        entries = {p: Entry(e.path, e.summary, e.digest) for p, e in self.entries.items()}
        entries[path] = Entry(path, summary)
        return ProjectIndex(self.root, entries, self.components)

    @functools.cached_property
    def _production(self) -> list[Entry]:
        return [e for e in self.entries.values() if not e.summary.is_test]

    def production(self) -> list[Entry]:
        return self._production

    def where(self, entry: Entry, line: int) -> str:
        return entry.where(self.root, line)

    # ------------------------------------------------------------------ keys and completeness
    @functools.cached_property
    def _keys(self) -> dict[Key, list[tuple[Entry, Produced]]]:
        out: dict[Key, list[tuple[Entry, Produced]]] = {}
        for e in self.production():
            for p in e.summary.produced:
                out.setdefault(p.key, []).append((e, p))
        return out

    def known_keys(self) -> dict[Key, tuple[Entry, Produced]]:
        return self.memo("known_keys", lambda: {k: v[0] for k, v in self._keys.items()})

    def producers(self, key: Key) -> list[tuple[Entry, Produced]]:
        return self._keys.get(key, [])

    @functools.cached_property
    def _opaque(self) -> list[tuple[Entry, Opaque]]:
        out = []
        for e in self.production():
            for o in e.summary.opaque:
                # A defs folder hides definitions only through YAML components; its Python files are read.
                if o.kind == "components" and not self._has_components(e.path.parent):
                    continue
                # `dagster_shop.assets` is the project's own package, not an integration.
                if o.origin is not None and o.origin in self._local_names:
                    continue
                out.append((e, o))
        return out

    @functools.cached_property
    def _local_names(self) -> frozenset[str]:
        """Names of the project's own packages and modules (any directory or file under the root)."""
        out: set[str] = set()
        for e in self.entries.values():
            try:
                rel = e.path.relative_to(self.root)
            except ValueError:
                continue
            out.update(rel.parent.parts)
            out.add(rel.stem)
        return frozenset(out)

    def _has_components(self, directory: Path) -> bool:
        return any(directory in c.parents for c in self.components)

    def opaque(self, *kinds: str) -> list[tuple[Entry, Opaque]]:
        """Producers the index cannot read, of these kinds ("assets", "checks", "components");
        by default those that may produce asset keys."""
        kinds = kinds or ("assets", "components")
        return self.memo(("opaque", kinds), lambda: [(e, o) for e, o in self._opaque if o.kind in kinds])

    def might_produce(self, key: Key) -> tuple[Entry, Opaque] | None:
        """An opaque producer that may produce `key` (an asset factory, dbt, components...)."""
        for e, o in self._opaque:
            if o.kind in ("assets", "components") and o.covers(key):
                return e, o
        return None

    def might_check(self, key: Key) -> tuple[Entry, Opaque] | None:
        """An opaque producer of asset checks that may target `key`."""
        for e, o in self._opaque:
            if o.kind in ("checks", "components") and o.covers(key):
                return e, o
        return None

    def incomplete_reasons(self) -> list[str]:
        """Why the index cannot see every asset key, one line per opaque producer."""
        return [f"{self.where(e, o.line)}: {o.reason}" for e, o in self._opaque]

    # ------------------------------------------------------------------ modules and names
    @functools.cached_property
    def _by_module(self) -> dict[str, list[Entry]]:
        """Every dotted suffix of every file's path (`shop.sources`, `sources`): an import of a
        project module matches one of them whatever its source root (`src/` layouts, namespace
        packages)."""
        out: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            try:
                rel = e.path.relative_to(self.root)
            except ValueError:
                rel = Path(e.path.name)
            parts = list(rel.parent.parts) if rel.name == "__init__.py" else [*rel.parent.parts, rel.stem]
            for i in range(len(parts)):
                out.setdefault(".".join(parts[i:]), []).append(e)
        return out

    def module(self, importer: Entry, module: str) -> Entry | None:
        """The project module an import names (`shop.sources`, `.sources`, "" for itself), or None."""
        if module == "":
            return importer
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            base = importer.path.parent
            for _ in range(level - 1):
                base = base.parent
            target = base.joinpath(*[p for p in module[level:].split(".") if p])
            for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                if candidate in self.entries:
                    return self.entries[candidate]
            return None
        found = self._by_module.get(module, [])
        if len(found) == 1:
            return found[0]
        # Several files end like that (two lessons with a `shop/assets.py`): the one nearest the importer.
        near = [e for e in found if e.group == importer.group]
        return near[0] if len(near) == 1 else None

    def package(self, importer: Entry, module: str) -> list[Entry] | None:
        """Every module of a package (for `load_assets_from_package_module`), or None."""
        scope = importer.path if module.startswith(".") else importer.group
        return self.memo(("package", scope, module), lambda: self._package(importer, module))

    def _package(self, importer: Entry, module: str) -> list[Entry] | None:
        init = self.module(importer, module)
        if init is not None and init.path.name != "__init__.py":
            return [init]
        directory = init.path.parent if init is not None else self._package_directory(importer, module)
        if directory is None:
            return None
        inside = str(directory) + os.sep
        return [e for e in self.entries.values() if str(e.path).startswith(inside)]

    def _package_directory(self, importer: Entry, module: str) -> Path | None:
        """The directory of a package whose `__init__.py` says nothing about Dagster (so is not
        indexed), from the modules inside it."""
        scope = importer.path if module.startswith(".") else importer.group
        return self.memo(("package directory", scope, module), lambda: self._find_package_directory(importer, module))

    def _find_package_directory(self, importer: Entry, module: str) -> Path | None:
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            base = importer.path.parent
            for _ in range(level - 1):
                base = base.parent
            directory = base.joinpath(*[p for p in module[level:].split(".") if p])
            return directory if directory.is_dir() else None
        depth = module.count(".") + 1
        found = set()
        for name, entries in self._by_module.items():
            if name.startswith(module + "."):
                for e in entries:
                    rel_depth = name.count(".") + 1 - depth
                    directory = e.path.parent if e.path.name != "__init__.py" else e.path.parent.parent
                    for _ in range(rel_depth - 1):
                        directory = directory.parent
                    found.add(directory)
        near = {d for d in found if str(d).startswith(importer.group)} or found
        return near.pop() if len(near) == 1 else None

    def lookup(self, entry: Entry, name: str, getter: Callable[[Entry, str], object], domain: str, depth: int = 0):
        """What `name` (`raw_orders`, `assets.raw_orders`) stands for in `entry`, following
        imports and star imports across the project: (defining entry, getter's value) or None.
        `getter(entry, name)` reads a module's own binding; `domain` keys the memo."""
        memo_key = ("lookup", domain, entry.path, name)
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = None  # a cycle of imports resolves to nothing
        found = self._lookup(entry, name, getter, domain, depth) if depth < 12 else None
        self._memo[memo_key] = found
        return found

    def _lookup(self, entry: Entry, name: str, getter, domain: str, depth: int):
        summary = entry.summary
        head, _, rest = name.partition(".")
        if rest:
            qualified = summary.imports.get(head)
            if qualified is None:
                return None
            return self._qualified(entry, f"{qualified}.{rest}", getter, domain, depth)
        value = getter(entry, name)
        if value is not None:
            return entry, value
        qualified = summary.imports.get(name)
        if qualified is not None:
            return self._qualified(entry, qualified, getter, domain, depth)
        for star in summary.star_imports:
            target = self.module(entry, star)
            if target is not None and target is not entry:
                found = self.lookup(target, name, getter, domain, depth + 1)
                if found is not None:
                    return found
        return None

    def _qualified(self, importer: Entry, qualified: str, getter, domain: str, depth: int):
        """`shop.sources.raw_orders` or `.sources.raw_orders`: the longest module prefix, then the name."""
        dots = len(qualified) - len(qualified.lstrip("."))
        parts = qualified[dots:].split(".")
        for i in range(len(parts) - 1, -1 if dots else 0, -1):
            target = self.module(importer, "." * dots + ".".join(parts[:i]))
            if target is not None:
                found = self.lookup(target, ".".join(parts[i:]), getter, domain, depth + 1)
                if found is not None:
                    return found
        return None

    def constant(self, entry: Entry, name: str):
        """A literal string (or list of strings) module constant, through imports."""
        found = self.lookup(entry, name, lambda e, n: e.summary.constants.get(n), "constant")
        return found[1] if found is not None else None

    def symbol_keys(self, entry: Entry, symbol: str) -> list[Key] | None:
        """The asset keys a Python name (an asset function, an `AssetSpec`) stands for."""
        found = self.lookup(entry, symbol, lambda e, n: e.summary.names.get(n), "asset")
        return list(found[1]) if found is not None else None

    # ------------------------------------------------------------------ groups
    @functools.cached_property
    def _loader_groups(self) -> tuple[dict[Path, set[str]], bool]:
        """The `group_name=` loaders give the modules they load, and whether some loader with
        a group loads modules the index cannot name."""
        groups: dict[Path, set[str]] = {}
        uncertain = False
        for entry, facts in self.facts("definitions"):
            for loader in facts.get("loaders", []):
                if not loader["assets"] or loader["group"] is None:
                    continue
                loaded = self.loaded_by(entry, loader)
                if loaded is None:
                    uncertain = True
                    continue
                for e in loaded:
                    groups.setdefault(e.path, set()).add(loader["group"])
        return groups, uncertain

    def loaded_by(self, entry: Entry, loader: dict) -> list[Entry] | None:
        """The modules a loader of `entry` loads, or None when it cannot tell."""
        if loader["modules"] is None:
            return None
        out: list[Entry] = []
        for module in loader["modules"]:
            found = self.package(entry, module) if loader["package"] else (
                [m] if (m := self.module(entry, module)) is not None else None)
            if found is None:
                return None
            out.extend(found)
        return out

    def asset_group(self, entry: Entry, produced: Produced) -> str | None:
        """The group Dagster puts an asset in, or None when the source does not tell."""
        if produced.group == "?":
            return None
        if produced.group is not None:
            return produced.group
        groups, uncertain = self._loader_groups
        assigned = groups.get(entry.path)
        if assigned:
            return next(iter(assigned)) if len(assigned) == 1 and "?" not in assigned else None
        return None if uncertain else DEFAULT_GROUP

    @functools.cached_property
    def _by_last_part(self) -> dict[str, list[tuple[Entry, Produced]]]:
        out: dict[str, list[tuple[Entry, Produced]]] = {}
        for key, producers in self._keys.items():
            if len(key) > 1:
                out.setdefault(key[-1], []).extend(producers)
        return out

    # ------------------------------------------------------------------ dependencies
    def owner_keys(self, entry: Entry, ref: Reference) -> list[Key]:
        """The keys of `entry` that depend on `ref`."""
        if ref.source is not None:
            return [ref.source]
        return entry.summary.names.get(ref.owner, [])

    def owner_produced(self, entry: Entry, owner: str) -> list[Produced]:
        return [p for p in entry.summary.produced if p.owner == owner]

    def resolve(self, entry: Entry, ref: Reference) -> Resolved:
        """The keys a dependency names, as Dagster resolves them (see `Resolved`)."""
        memo_key = ("resolve", entry.path, ref)
        cached = self._memo.get(memo_key)
        if cached is None:
            cached = self._memo[memo_key] = self._resolve(entry, ref)
        return cached  # type: ignore[return-value]

    def _resolve(self, entry: Entry, ref: Reference) -> Resolved:
        if ref.key is None:
            keys = self.symbol_keys(entry, ref.symbol) if ref.symbol else None
            return Resolved(tuple(keys)) if keys else Resolved()
        if ref.key in self._keys:
            return Resolved((ref.key,))
        if ref.via != "check" and len(ref.key) == 1:
            # Dagster resolves a one-part key to the asset of that name in the dependent's group.
            candidates = self._by_last_part.get(ref.key[0], [])
            if candidates:
                mine = [p for p in self.owner_produced(entry, ref.owner) if ref.source is None or p.key == ref.source]
                own_groups = {self.asset_group(entry, p) for p in mine} or {None}
                if None in own_groups or len(own_groups) != 1:
                    return Resolved()
                group = next(iter(own_groups))
                groups = [self.asset_group(e, p) for e, p in candidates]
                if None in groups:
                    return Resolved()
                own_keys = {p.key for p in mine}
                matches = {p.key for (e, p), g in zip(candidates, groups) if g == group and p.key not in own_keys}
                if len(matches) == 1:
                    return Resolved((matches.pop(),), via_group=True)
        if self.might_produce(ref.key) is not None:
            return Resolved()
        return Resolved(unknown=True)

    @functools.cached_property
    def edges(self) -> list[tuple[Entry, Reference, Key, Key]]:
        """(entry, reference, downstream key, upstream key) of every resolved dependency."""
        out = []
        for entry in self.production():
            for ref in entry.summary.references:
                if ref.via == "check":
                    continue
                resolved = self.resolve(entry, ref)
                for down in self.owner_keys(entry, ref):
                    for up in resolved.keys:
                        out.append((entry, ref, down, up))
        return out

    def producer(self, key: Key, near: Entry | None = None) -> tuple[Entry, Produced] | None:
        """The one definition of `key`: the only one, or the only one in `near`'s code location."""
        found = self._keys.get(key, [])
        if len(found) == 1:
            return found[0]
        if near is not None:
            local = [(e, p) for e, p in found if e.group == near.group]
            if len(local) == 1:
                return local[0]
        return None


def _under_defs(path: Path, location: Path) -> bool:
    """`load_from_defs_folder` loads the `defs` package beside the module that calls it."""
    return (location / "defs") in path.parents


def find_root(path: Path) -> Path | None:
    """The project root of `path`: the `--project-root` given for it, else the directory of
    the nearest pyproject.toml / setup.cfg / setup.py above it."""
    start = os.path.abspath(path)
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    directory = resolved_dir(start)
    for root in _root_overrides:
        if directory == str(root) or Path(directory).is_relative_to(root):
            return root
    return _root_of(directory)


@functools.lru_cache(maxsize=4096)
def _root_of(directory: str) -> Path | None:
    """The marked root of a resolved directory, once per directory (the CLI asks for every file)."""
    if any(os.path.isfile(os.path.join(directory, marker)) for marker in ROOT_MARKERS):
        return Path(directory)
    parent = os.path.dirname(directory)
    return _root_of(parent) if parent != directory else None


# ---------------------------------------------------------------------- building
_indexes: dict[Path, ProjectIndex] = {}
_root_overrides: list[Path] = []


def set_project_root(path: str | os.PathLike) -> None:
    """Treat `path` as the root of the project of every file under it (`--project-root`)."""
    root = Path(path).resolve()
    if root not in _root_overrides:
        _root_overrides.insert(0, root)


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
    content, the YAML component files, and the code that reads them), without building it:
    the CLI keys the cached findings of project rules by it. Computed once per process, like
    the index."""
    if root not in _fingerprints:
        digest = hashlib.sha1(_analysis_fingerprint().encode())
        components: list[Path] = []
        for file, data in _contents(root, components):
            digest.update(f"{file}\0".encode() + hashlib.sha1(data).digest())
        for component in components:
            digest.update(f"{component}\0".encode())
        _fingerprints[root] = digest.hexdigest()
    return _fingerprints[root]


def forget() -> None:
    """Drop the indexes built so far: the next question reads the project again (a new CLI run)."""
    _indexes.clear()
    _fingerprints.clear()


def build_index(root: Path, *, use_cache: bool = True, cache_dir: Path | None = None) -> ProjectIndex:
    """Read every Python file under `root`. `cache_dir` replaces the project's cache location
    (`.dagster_lint_cache` at the root, or `--cache-dir`): a read-only checkout, a benchmark."""
    root = root.resolve()
    cache = _Cache(cache_dir or cache_location(root)) if use_cache and cache_settings.enabled else None
    entries: dict[Path, Entry] = {}
    components: list[Path] = []
    for file, data in _contents(root, components):
        digest = hashlib.sha1(data).hexdigest()
        # A summary depends on the content and on whether the path is a test module's.
        cache_key = digest + ("-test" if is_test_path(str(file)) else "")
        summary = cache.get(cache_key) if cache else None
        if summary is None:
            try:
                source = decode(data)
                model = build(parse(source, str(file)), source, str(file))
                # A test module may exercise the project's assets without importing Dagster itself.
                summary = Summary.of(model, dagster=_MARKER in data or model.is_test_module)
                if not handover.offer(str(file), model):
                    model.release()
            except Exception as exc:  # a file being edited, or one the analysis fails on
                if _MARKER not in data:
                    continue
                # What it defines is unknown: rules must not call its keys missing.
                summary = Summary(opaque=[Opaque(f"the index cannot read this file ({_why(exc)})", 1)],
                                  is_test=is_test_path(str(file)))
            if cache:
                cache.put(cache_key, summary)
        entries[file] = Entry(file, summary, digest)
        if cache:
            cache.live.add(cache_key)
    if cache:
        cache.prune()
    return ProjectIndex(root, entries, tuple(components))


def _why(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return f"{exc.msg}, line {exc.lineno}"
    return str(exc) if isinstance(exc, UnreadableSource) else f"{type(exc).__name__}: {exc}"


def project_files(root: Path, components: list[Path] | None = None) -> Iterator[Path]:
    """The Python files under `root` that the configuration does not exclude; YAML component
    files met on the way are appended to `components`."""
    root = root.resolve()
    config = config_for(root)
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = here / name
                if not config.is_excluded(path):
                    # Under a resolved root, only a symlinked file needs resolving.
                    yield path.resolve() if os.path.islink(path) else path
            elif components is not None and name in COMPONENT_FILES:
                components.append(here / name)


def _contents(root: Path, components: list[Path]) -> Iterator[tuple[Path, bytes]]:
    """`project_files` with their bytes, leaving out those that cannot be read."""
    for file in project_files(root, components):
        try:
            yield file, file.read_bytes()
        except OSError:
            continue


@functools.lru_cache(maxsize=1)
def _analysis_fingerprint() -> str:
    """Changes whenever the package's code changes, so that no stale summary is read: facts
    extractors may use helpers from anywhere in it."""
    package = Path(__file__).parent
    digest = hashlib.sha1()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


class _Cache:
    """Summaries by content hash under <cache>/index-<version>-<fingerprint>/, in a
    `cache.Store` (atomic writes: concurrent linters never read a half-written entry)."""

    # Entries of contents no file has any more are deleted once they outnumber the live ones.
    SLACK = 200

    def __init__(self, base: Path):
        self.directory = base / f"index-{__version__}-{_analysis_fingerprint()}"
        self.store = Store(self.directory)
        self.written = False
        self.live: set[str] = set()

    def get(self, digest: str) -> Summary | None:
        data = self.store.get(digest)
        if data is None:
            return None
        try:
            return Summary.from_json(data)  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, digest: str, summary: Summary) -> None:
        self.store.put(digest, summary.to_json())
        self.written = self.written or self.store.writable

    def prune(self) -> None:
        """Delete what no file of the project needs: entries of old contents (when there are
        many), and the directories of other versions of dagster-lint. Another process that
        still wanted one only recomputes it."""
        if not self.written:
            return
        try:
            for other in self.directory.parent.glob("index-*"):
                if other != self.directory and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
            stale = [f for f in self.directory.glob("*.json") if f.stem not in self.live]
            if len(stale) > max(self.SLACK, len(self.live)):
                for f in stale:
                    f.unlink(missing_ok=True)
        except OSError:
            pass
