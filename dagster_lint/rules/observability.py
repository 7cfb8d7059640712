"""DAG7xx: observability."""

from __future__ import annotations

import ast

from dagster_lint.model import ModuleModel
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, compute_bodies, is_not_shadowed_builtin, label

_DESCRIBED_KINDS = ("asset", "multi_asset", "graph_asset", "asset_check", "job", "sensor", "schedule",
                    "observable_source_asset")
_DESCRIBED_CALLS = {"dagster.define_asset_job": "job", "dagster.ScheduleDefinition": "schedule"}


@rule(
    "DAG701",
    "missing-description",
    "C",
    "{kind} `{name}` has no description; add a docstring or `description=` so the Dagster UI says what it is",
)
def missing_description(model: ModuleModel):
    '''Asset, check, job, sensor or schedule without a description.

    ## What it does
    Reports an `@asset`, `@multi_asset`, `@graph_asset`, `@asset_check`, `@job`, `@sensor` or
    `@schedule` function with neither a docstring nor `description=`, and
    `define_asset_job(...)` / `ScheduleDefinition(...)` calls without `description=`.
    Definitions in test modules and those built inside factory functions are not reported.

    ## Why is this bad?
    The description is what the Dagster UI, the asset catalog and search show to the people
    who consume the data. Without it, they have to find and read the code.

    ## Example
    ```python
    @dg.asset
    def daily_revenue(orders): ...
    ```

    ## Use instead
    ```python
    @dg.asset
    def daily_revenue(orders):
        """Revenue per day in EUR, net of refunds."""
    ```
    '''
    if model.is_test_module:
        return
    for d in model.of_kind(*_DESCRIBED_KINDS):
        if d.nested or d.has_docstring() or "description" in d.kwargs:
            continue
        if d.call is not None and any(kw.arg is None for kw in d.call.keywords):
            continue  # **kwargs may carry the description
        yield at_def(d, kind=label(d), name=d.kwargs.get("name") and _name(d.kwargs["name"]) or d.name)
    for qualname, kind in _DESCRIBED_CALLS.items():
        for call in model.calls_to(qualname):
            kwargs = {kw.arg for kw in call.keywords}
            if "description" in kwargs or None in kwargs or _inside_function(model, call):
                continue
            name_node = next((kw.value for kw in call.keywords if kw.arg == "name"), call.args[0] if call.args else None)
            yield Violation(call, kind=kind, name=_name(name_node) if name_node is not None else "(unnamed)")


def _name(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)


def _inside_function(model: ModuleModel, call: ast.Call) -> bool:
    return any(
        isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        and f.lineno <= call.lineno <= (f.end_lineno or f.lineno)
        for f in model.functions
    )


@rule(
    "DAG703",
    "print-in-asset",
    "C",
    "`print()` in {kind} `{name}` writes to stdout, not to the Dagster event log; use `context.log.info(...)` "
    "or `dg.get_dagster_logger().info(...)`",
)
def print_in_asset(model: ModuleModel):
    """`print()` in an asset or op body.

    ## What it does
    Reports calls to the builtin `print` inside `@asset`, `@multi_asset`, `@op` and
    `@asset_check` bodies. A `print` that the module rebinds (an import such as
    `from rich import print`, or a local function) is not reported.

    ## Why is this bad?
    Dagster captures stdout only as raw compute logs, which depend on the deployment's compute
    log manager and are not part of the structured event log: the message has no level, no
    step, and is missing from alerts and searches.

    ## Example
    ```python
    @dg.asset
    def orders():
        rows = fetch()
        print(f"fetched {len(rows)} rows")
        return rows
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(context: dg.AssetExecutionContext):
        rows = fetch()
        context.log.info(f"fetched {len(rows)} rows")
        return rows
    ```
    """
    for d in compute_bodies(model):
        if not is_not_shadowed_builtin(d, "print"):
            continue
        for _, call in d.calls:
            if isinstance(call.func, ast.Name) and call.func.id == "print":
                yield Violation(call, kind=label(d), name=d.name)
