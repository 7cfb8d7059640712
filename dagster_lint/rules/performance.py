"""DAG6xx: performance and I/O."""

from __future__ import annotations

import ast

from dagster_lint.model import ModuleModel, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import is_resource_annotation, label


def _nothing_inputs(model: ModuleModel, ins: ast.expr | None) -> set[str]:
    """Names of `ins={...}` entries typed `Nothing`: Dagster loads nothing for them."""
    out: set[str] = set()
    if not isinstance(ins, ast.Dict):
        return out
    for key, value in zip(ins.keys, ins.values):
        name = literal_str(key)
        if name and isinstance(value, ast.Call):
            for kw in value.keywords:
                if kw.arg == "dagster_type" and model.qualname(kw.value) == "dagster.Nothing":
                    out.add(name)
    return out


def _nothing_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return True
    return annotation is not None and model.qualname(annotation) == "dagster.Nothing"


def upstream_parameters(model: ModuleModel, d) -> list[ast.arg]:
    """Parameters through which Dagster loads an upstream asset's value."""
    ctx = d.context_param
    nothing = _nothing_inputs(model, d.kwarg("ins"))
    return [
        p
        for p in d.params
        if p is not ctx
        and p.arg != "config"
        and p.arg not in nothing
        and not _nothing_annotation(model, p.annotation)
        and not is_resource_annotation(model, p.annotation)
    ]


@rule(
    "DAG601",
    "upstream-loaded-but-unused",
    "W",
    "{kind} `{name}` loads upstream `{param}` through the IO manager but never uses it; if only the "
    "order matters, declare it with `deps=[{param}]` and drop the parameter",
)
def upstream_loaded_but_unused(model: ModuleModel):
    """Upstream asset passed as a parameter and never used.

    ## What it does
    Reports a parameter of an `@asset` or `@multi_asset` that receives an upstream asset (not
    `context`, `config`, a resource, or an input typed `Nothing`) and is not read anywhere in
    the body, nested functions, lambdas and f-strings included. Stub bodies are ignored.

    ## Why is this bad?
    Dagster loads the whole upstream value through its IO manager before the body runs: a
    table read from the warehouse or a file downloaded from object storage, for nothing. It
    also fails when the upstream asset stores nothing (returns `MaterializeResult`).

    ## Example
    ```python
    @dg.asset
    def report(raw_orders):
        return build_report()
    ```

    ## Use instead
    ```python
    @dg.asset(deps=[raw_orders])
    def report():
        return build_report()
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        if d.is_stub:
            continue
        used = d.loaded_names
        if {"locals", "vars"} & used:
            continue
        for param in upstream_parameters(model, d):
            if param.arg not in used:
                yield Violation(param, kind=label(d), name=d.name, param=param.arg)
