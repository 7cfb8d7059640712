"""The cross-file part of DAG107 (`rules/lineage.py`): an upstream asset of another module
that stores no value, found through the project index."""

from __future__ import annotations

import ast

from dagster_lint.keys import Key, Reference
from dagster_lint.model import Definition, ModuleModel
from dagster_lint.project import ProjectIndex
from dagster_lint.rules._project import production_entry


def _empty_by_key(project: ProjectIndex) -> dict[tuple[str, Key], dict]:
    """(code location, key) -> the asset that stores nothing, for keys produced once there."""
    def compute():
        out: dict[tuple[str, Key], dict] = {}
        for entry, facts in project.facts("returns"):
            for asset in facts.get("empty", []):
                out[(entry.group, tuple(asset["key"]))] = {**asset, "entry": entry}
        return out

    return project.memo("empty_upstreams", compute)


def empty_upstream_elsewhere(
    model: ModuleModel, d: Definition, param: ast.arg, key: Key
) -> tuple[str, str, bool, str] | None:
    """(name, why, annotated `-> None`, key to write in `deps=`) of the asset another module
    (or this one, through its group) defines for the key parameter `param` of `d` loads, when
    that asset stores nothing."""
    project, entry = production_entry(model)
    if entry is None:
        return None
    resolved = project.resolve(entry, Reference(key, param.lineno, param.col_offset, d.name, "parameter"))
    if len(resolved.keys) != 1:
        return None
    upstream_key = resolved.keys[0]
    found = project.producer(upstream_key, near=entry)
    if found is None:
        return None
    up_entry, produced = found
    if up_entry is entry and not resolved.via_group:
        return None  # the single-file part of the rule has judged it
    asset = _empty_by_key(project).get((up_entry.group, upstream_key))
    if asset is None or asset["line"] != produced.line:
        return None
    dep = f'"{upstream_key[0]}"' if len(upstream_key) == 1 else "[" + ", ".join(f'"{p}"' for p in upstream_key) + "]"
    why = f"{asset['why']} ({project.where(up_entry, asset['line'])})"
    return asset["owner"], why, asset["none"], dep
