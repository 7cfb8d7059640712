"""Per-module facts the project index caches for project rules, one module per domain.

An extractor is `extract(model) -> JSON value` (lists and dicts of str/int/bool/None): it runs
once per file content and its result is cached on disk, so it must depend on the module alone.
Project rules read them back with `ProjectIndex.facts(domain)`. Register new domains here.
"""

from __future__ import annotations

from typing import Callable

from dagster_lint.model import ModuleModel

EXTRACTORS: dict[str, Callable[[ModuleModel], object]] = {}


def extract_all(model: ModuleModel) -> dict[str, object]:
    _load()
    out = {}
    for domain, extract in EXTRACTORS.items():
        value = extract(model)
        if value:
            out[domain] = value
    return out


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        import importlib
        import pkgutil

        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")


def extractor(domain: str):
    def register(fn):
        if domain in EXTRACTORS:
            raise ValueError(f"facts domain {domain!r} registered twice")
        EXTRACTORS[domain] = fn
        return fn

    return register
