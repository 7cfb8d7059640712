"""Assets that hand their IO manager no value (no `return value`, only `MaterializeResult`s):
for DAG107 across files. The criteria are DAG107's own (`rules/lineage.py`)."""

from __future__ import annotations

from dagster_lint.facts import extractor
from dagster_lint.model import ModuleModel


@extractor("returns")
def extract(model: ModuleModel) -> dict:
    from dagster_lint.rules.lineage import empty_upstreams, nothing_annotation

    if not model.definitions:
        return {}
    empty = [
        {"key": list(key), "owner": d.name, "line": d.line, "why": why,
         "none": nothing_annotation(model, d.node.returns)}
        for key, (d, why) in empty_upstreams(model).items()
    ]
    return {"empty": empty} if empty else {}
