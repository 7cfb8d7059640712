"""Write dagster_lint/data/deprecations.json from the installed Dagster's own deprecation metadata.

DAG800 reads the table and never imports Dagster; this script is the only place that does. It
walks the public API (the names `dagster` exports, and the integration-free public submodules
in `MODULES`), the members of every public class (inherited ones included, since a subclass
exposes them too), and reads what Dagster's annotations attach to each object:

- `@deprecated` and `@superseded` (`_deprecated`, `_superseded` on the object, or on the
  `fget` / `__func__` of a property, classmethod or staticmethod),
- `@deprecated_param` and `@hidden_param` (`_deprecated_params`: param -> DeprecatedInfo),
- the module-level `_DEPRECATED` / `_DEPRECATED_RENAMED` tables behind `dagster.__getattr__`.

A class's own annotations are read from its `__dict__`, so that a subclass of a deprecated class
is not itself reported. Hidden parameters with no breaking version are Dagster's internal
keyword-only plumbing (`AutomationResult(metadata=...)`), not deprecations, and are left out.

Run it after upgrading Dagster: `python scripts/gen_deprecations.py`; `--check` fails when the
committed table differs from what the installed Dagster produces.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import sys
import types
import warnings
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "dagster_lint" / "data" / "deprecations.json"

# Public modules users import Dagster's API from, besides `dagster` itself.
MODULES = ("dagster", "dagster.components", "dagster.deprecated", "dagster.preview.freshness")

# The sentence Dagster prefixes to the advice of AssetExecutionContext's deprecated methods; the
# linter's message already says what was used, the advice is the rest.
_CALLED_PREFIX = re.compile(r"^You have called the deprecated method \w+ on \w+\.\s*")


def _info_dict(info, status: str) -> dict:
    advice = getattr(info, "additional_warn_text", None) or ""
    advice = " ".join(_CALLED_PREFIX.sub("", advice).split())
    out = {"status": status}
    if status == "deprecated":
        out["breaking_version"] = info.breaking_version
    if advice:
        out["advice"] = advice
    return out


def _target(obj):
    """Where Dagster's annotations store their data (dagster._symbol_annotations.annotatable)."""
    if isinstance(obj, property):
        return obj.fget
    if isinstance(obj, (staticmethod, classmethod)):
        return obj.__func__
    return obj


def _own_attr(obj, attr: str):
    target = _target(obj)
    if isinstance(target, type):
        return target.__dict__.get(attr)
    return getattr(target, attr, None)


def _status(obj) -> dict | None:
    deprecated = _own_attr(obj, "_deprecated")
    if deprecated is not None:
        return _info_dict(deprecated, "deprecated")
    superseded = _own_attr(obj, "_superseded")
    if superseded is not None:
        return _info_dict(superseded, "superseded")
    return None


def _params(obj) -> dict[str, dict]:
    params = _own_attr(obj, "_deprecated_params") or {}
    out = {}
    for name, info in params.items():
        if info.hidden and not info.breaking_version:
            continue  # internal keyword-only plumbing, not a deprecation
        entry = _info_dict(info, "deprecated")
        if info.hidden:
            entry["hidden"] = True
        out[name] = entry
    return out


def _kind(obj, member: bool) -> str:
    if isinstance(obj, property):
        return "property"
    if isinstance(obj, classmethod):
        return "classmethod"
    if isinstance(obj, staticmethod):
        return "staticmethod"
    if isinstance(obj, type):
        return "class"
    if callable(obj):
        return "method" if member else "function"
    return "attribute"


def _public_names(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        # `dagster` has no __all__: its __init__ re-exports with `from x import Y as Y`.
        names = [n for n in vars(module) if not n.startswith("_")]
    return sorted(set(names))


def _members(cls: type):
    """(name, static attribute) of every public member, inherited ones included."""
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        try:
            value = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        if isinstance(value, (types.FunctionType, property, classmethod, staticmethod)):
            yield name, value


def collect(module_names=MODULES) -> dict:
    import dagster

    names: dict[str, dict] = {}
    params: dict[str, dict] = {}
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for name in _public_names(module):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                obj = getattr(module, name, None)
            if obj is None or isinstance(obj, types.ModuleType):
                continue
            path = f"{module_name}.{name}"
            _record(names, params, path, obj)
            if isinstance(obj, type) and obj.__module__.startswith("dagster"):
                for member, value in _members(obj):
                    _record(names, params, f"{path}.{member}", value, member=True)
        for name, entry in _getattr_deprecations(module).items():
            names[f"{module_name}.{name}"] = entry
    return {
        "dagster_version": dagster.__version__,
        "generated_by": "scripts/gen_deprecations.py",
        "names": names,
        "params": params,
    }


def _record(names: dict, params: dict, path: str, obj, *, member: bool = False) -> None:
    status = _status(obj)
    if status is not None:
        names[path] = {"kind": _kind(obj, member), **status}
    found = _params(obj)
    if found:
        params[path] = found


def _getattr_deprecations(module: types.ModuleType) -> dict[str, dict]:
    """Names a module serves through `__getattr__` with a deprecation warning."""
    out = {}
    for name, (_, breaking_version, advice) in getattr(module, "_DEPRECATED", {}).items():
        out[name] = {"kind": "attribute", "status": "deprecated", "breaking_version": breaking_version}
        if advice:
            out[name]["advice"] = advice
    for name, (value, breaking_version) in getattr(module, "_DEPRECATED_RENAMED", {}).items():
        new = getattr(value, "__name__", None)
        out[name] = {"kind": "attribute", "status": "deprecated", "breaking_version": breaking_version}
        if new:
            out[name]["advice"] = f"Use `{new}` instead."
    return out


def render(table: dict) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed table instead of writing")
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    text = render(collect())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is out of date for the installed Dagster; run `python scripts/gen_deprecations.py`")
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    table = json.loads(text)
    print(
        f"wrote {args.out.name}: {len(table['names'])} names, "
        f"{sum(map(len, table['params'].values()))} parameters of {len(table['params'])} callables "
        f"(Dagster {table['dagster_version']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
