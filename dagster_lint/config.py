"""`[tool.dagster-lint]` in pyproject.toml, and which rules are enabled for a file."""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from dagster_lint.registry import RULES, load_rules

SECTION = "dagster-lint"
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".env",
    "env",
    ".tox",
    ".nox",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".dagster_lint_cache",
    "*.egg-info",
)
KNOWN_KEYS = frozenset(
    {"select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "ignore-groups"}
)
RUNTIME_KEYS = frozenset({"runtime", "definitions", "python", "timeout", "fan-in-limit", "evaluation-time"})
# Partitions are evaluated at one fixed instant, so findings do not change from day to day.
DEFAULT_EVALUATION_TIME = "2030-01-01T12:00:00+00:00"
_SELECTOR = re.compile(r"^DAG\d{0,3}$")


class ConfigError(Exception):
    """The configuration is wrong; the message says where and how."""


@dataclass(frozen=True)
class RuntimeOptions:
    """The runtime-mode keys of [tool.dagster-lint] (see dagster_lint.runtime)."""

    enabled: bool = False
    definitions: tuple[str, ...] = ()  # targets: "module:attr", "module", "path/file.py[:attr]"
    python: str | None = None  # the project's interpreter, relative to the config's directory
    timeout: float = 120.0
    fan_in_limit: int = 100
    evaluation_time: str = DEFAULT_EVALUATION_TIME


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    ignore_groups: tuple[str, ...] = ()  # asset groups DAG501 does not ask checks of
    root: Path | None = None  # the directory of the pyproject.toml it came from
    source: Path | None = None
    runtime: RuntimeOptions = RuntimeOptions()

    @property
    def enabled(self) -> frozenset[str]:
        return _enabled(self.select, self.ignore, self.extend_select)

    def enabled_for(self, path: str | os.PathLike | None) -> frozenset[str]:
        codes = self.enabled
        if not self.per_file_ignores or path is None:
            return codes
        rel = self.relative(path)
        for pattern, ignored in self.per_file_ignores:
            if _path_matches(rel, pattern):
                codes = frozenset(c for c in codes if not any(c.startswith(i) for i in ignored))
        return codes

    def relative(self, path: str | os.PathLike) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                return p.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def is_excluded(self, path: Path) -> bool:
        # One compiled pattern for the name globs: this runs for every file of a project.
        if _name_pattern(DEFAULT_EXCLUDES + self.exclude).match(os.path.normcase(path.name)):
            return True
        if not self.exclude:
            return False  # the common case: no path patterns, no path to resolve
        rel = self.relative(path)
        return any(_path_matches(rel, pat) for pat in self.exclude)


@lru_cache(maxsize=64)
def _name_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for fnmatch over all the patterns: asked for every file and directory walked."""
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))


def _path_matches(rel: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    return (
        fnmatch.fnmatch(rel, pattern)
        or fnmatch.fnmatch(rel, pattern + "/*")
        or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern)
    )


def _specificity(code: str, selectors: tuple[str, ...]) -> int:
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


def _enabled(select, ignore, extend_select) -> frozenset[str]:
    load_rules()
    select = tuple(select) if select is not None else None
    return _enabled_among(select, tuple(ignore), tuple(extend_select), len(RULES))


@lru_cache(maxsize=256)  # asked for every file; the registry's size is in the key for tests that add rules
def _enabled_among(select, ignore, extend_select, _registry_size: int) -> frozenset[str]:
    """Like ruff: the most specific selector wins; on a tie, ignore wins.

    With no `select`, the default-on rules are selected. Default-off rules need a selector that
    names them (a prefix such as `DAG7` in `select` counts, `extend-select` adds to the default).
    """
    load_rules()
    enabled = set()
    for code, rule in RULES.items():
        if select is None:
            on = len("DAG") if rule.default else -1
        else:
            on = _specificity(code, tuple(select))
        on = max(on, _specificity(code, tuple(extend_select)))
        off = _specificity(code, tuple(ignore))
        if on >= 0 and on > off:
            enabled.add(code)
    return frozenset(enabled)


def _selectors(value, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of rule codes, e.g. [\"DAG204\", \"DAG3\"]")
    out = []
    by_symbol = {r.symbol: r.code for r in RULES.values()}
    for raw in value:
        item = raw.strip()
        item = by_symbol.get(item, item.upper())
        if not _SELECTOR.match(item):
            raise ConfigError(f"{where}: `{key}` has {raw!r}, which is not a rule code or prefix (DAG204, DAG2, DAG)")
        if not any(code.startswith(item) for code in RULES):
            raise ConfigError(f"{where}: `{key}` has {raw!r}, which matches no rule; see `dagster-lint --list-rules`")
        out.append(item)
    return tuple(out)


def parse_selectors(value, key: str, where: str = "command line") -> tuple[str, ...]:
    load_rules()
    return _selectors(value, key, where)


def from_table(table: dict, source: Path | None = None) -> Config:
    load_rules()
    where = str(source) if source else "configuration"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.{SECTION}] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS - RUNTIME_KEYS)
    if unknown:
        known = ", ".join(sorted(KNOWN_KEYS | RUNTIME_KEYS))
        raise ConfigError(f"{where}: unknown key(s) in [tool.{SECTION}]: {', '.join(unknown)}; known keys: {known}")
    select = _selectors(table["select"], "select", where) if "select" in table else None
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
    exclude = []
    for key in ("exclude", "extend-exclude"):
        patterns = table.get(key, [])
        if not isinstance(patterns, list) or not all(isinstance(e, str) for e in patterns):
            raise ConfigError(f"{where}: `{key}` must be a list of glob patterns, e.g. [\"legacy/\"]")
        exclude += patterns
    ignore_groups = table.get("ignore-groups", [])
    if not isinstance(ignore_groups, list) or not all(isinstance(g, str) for g in ignore_groups):
        raise ConfigError(f"{where}: `ignore-groups` must be a list of asset group names, e.g. [\"staging\"]")
    return Config(
        select=select,
        ignore=_selectors(table.get("ignore", []), "ignore", where),
        extend_select=_selectors(table.get("extend-select", []), "extend-select", where),
        per_file_ignores=tuple(
            (pattern, _selectors(codes, f"per-file-ignores.{pattern}", where)) for pattern, codes in pfi.items()
        ),
        exclude=tuple(exclude),
        ignore_groups=tuple(ignore_groups),
        root=source.parent if source else None,
        source=source,
        runtime=runtime_options(table, where),
    )


def runtime_options(table: dict, where: str) -> RuntimeOptions:
    """The runtime keys of a [tool.dagster-lint] table, checked."""
    options = RuntimeOptions()
    values: dict = {}
    if "runtime" in table:
        if not isinstance(table["runtime"], bool):
            raise ConfigError(f"{where}: `runtime` must be true or false")
        values["enabled"] = table["runtime"]
    if "definitions" in table:
        targets = table["definitions"]
        targets = [targets] if isinstance(targets, str) else targets
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) and t.strip() for t in targets):
            raise ConfigError(
                f'{where}: `definitions` must be a target such as "shop.definitions:defs" or a list of them'
            )
        values["definitions"] = tuple(t.strip() for t in targets)
    if "python" in table:
        if not isinstance(table["python"], str) or not table["python"].strip():
            raise ConfigError(f'{where}: `python` must be the path of an interpreter, e.g. ".venv/bin/python"')
        values["python"] = table["python"]
    for key, attr, kind, low in (("timeout", "timeout", (int, float), 1), ("fan-in-limit", "fan_in_limit", int, 1)):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, kind) or value < low:
                raise ConfigError(f"{where}: `{key}` must be a number of at least {low}")
            values[attr] = value
    if "evaluation-time" in table:
        values["evaluation_time"] = parse_evaluation_time(table["evaluation-time"], where)
    return replace(options, **values)


def parse_evaluation_time(value, where: str) -> str:
    """An ISO 8601 instant; one without a timezone is UTC."""
    from datetime import datetime, timezone

    if hasattr(value, "isoformat") and not isinstance(value, str):  # TOML datetimes arrive parsed
        value = value.isoformat()
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f'{where}: `evaluation-time` must be an ISO 8601 time, e.g. "2030-01-01T00:00:00Z"') from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.isoformat()


def read_pyproject(path: Path) -> Config:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table")
    table = tool.get(SECTION)
    if table is None:
        return Config(root=path.parent, source=None)
    return from_table(table, path)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.dagster-lint] table,
    else the nearest pyproject.toml at all."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    nearest, with_section = _pyprojects_above(str(directory))
    found = with_section or nearest
    return Path(found) if found else None


@lru_cache(maxsize=4096)
def _pyprojects_above(directory: str) -> tuple[str | None, str | None]:
    """The nearest pyproject.toml at or above a resolved directory, and the nearest one with a
    [tool.dagster-lint] table: from the parent's answer, so each directory is looked at once."""
    parent = os.path.dirname(directory)
    above: tuple[str | None, str | None] = (None, None) if parent == directory else _pyprojects_above(parent)
    candidate = os.path.join(directory, "pyproject.toml")
    if not os.path.isfile(candidate):
        return above
    try:
        with open(candidate, encoding="utf-8", errors="replace") as fh:
            has_section = f"[tool.{SECTION}" in fh.read()
    except OSError:
        has_section = False
    return candidate, candidate if has_section else above[1]


@lru_cache(maxsize=4096)
def _config_for_dir(directory: str) -> Config | ConfigError:
    """The configuration of a resolved directory."""
    nearest, with_section = _pyprojects_above(directory)
    found = with_section or nearest
    if found is None:
        return Config()
    return _config_of_file(found)


@lru_cache(maxsize=256)
def _config_of_file(path: str) -> Config | ConfigError:
    """One read per pyproject.toml, however many directories it governs."""
    try:
        return read_pyproject(Path(path))
    except ConfigError as exc:  # kept, so that every file under a broken pyproject.toml does not re-read it
        return exc


def resolved_dir(directory: str) -> str:
    """An absolute directory with its symbolic links resolved."""
    return _resolved_dir(directory, None)


@lru_cache(maxsize=4096)
def _resolved_dir(directory: str, cwd: str | None) -> str:
    """`directory` made absolute and real; `cwd` is part of the cache key of a relative one.
    Built on the parent's answer: the CLI asks for every directory of a tree, and resolving each
    from the root would look at every component of its path again."""
    path = os.path.join(cwd, directory) if cwd is not None else directory
    parent, name = os.path.split(path)
    if name in ("", ".", "..") or not parent or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_resolved_dir(parent, None), name)


def config_for(path: str | os.PathLike | None) -> Config:
    """The configuration that governs `path` (a file, which need not exist, or a directory)."""
    if path is None or str(path) in ("-", "stdin", "<stdin>"):
        found = _config_for_dir(os.getcwd())
    else:
        p = Path(path)
        directory = p if p.is_dir() else p.parent
        text = str(directory)
        found = _config_for_dir(_resolved_dir(text, None if os.path.isabs(text) else os.getcwd()))
    if isinstance(found, ConfigError):
        raise ConfigError(str(found))
    return found


def forget() -> None:
    """Drop what was read of the configuration files: the next question reads them again (a
    new CLI run in the same process, which may follow an edit)."""
    for cached in (_config_for_dir, _config_of_file, _pyprojects_above, _resolved_dir):
        cached.cache_clear()
