"""DAG5xx: data quality, types and tests."""

from __future__ import annotations

import ast

from dagster_lint.model import ModuleModel
from dagster_lint.registry import rule
from dagster_lint.rules._common import at_def, walk_no_nested_functions


def _is_boolean(model: ModuleModel, expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, bool)
    if isinstance(expr, (ast.Compare, ast.BoolOp)):
        return True
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return True
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("bool", "all", "any", "isinstance"):
        return expr.func.id not in model.imports
    return False


@rule(
    "DAG502",
    "check-returns-no-result",
    "E",
    "asset check `{name}` {why}; return `dg.AssetCheckResult(passed=...)` so the check has a result",
)
def check_returns_no_result(model: ModuleModel):
    """Asset check whose body does not produce an `AssetCheckResult`.

    ## What it does
    Reports an `@asset_check` or `@multi_asset_check` function that returns nothing, or
    returns only booleans (`return len(df) > 0`, `return True`), instead of returning or
    yielding `dg.AssetCheckResult`. Returning a helper's result is trusted.

    ## Why is this bad?
    Dagster requires an `AssetCheckResult`: a check that returns a bool or `None` fails at run
    time with an error about the return type, so the check never reports pass or fail, and the
    data problem it was written for goes unnoticed.

    ## Example
    ```python
    @dg.asset_check(asset=orders)
    def orders_not_empty(orders):
        return len(orders) > 0
    ```

    ## Use instead
    ```python
    @dg.asset_check(asset=orders)
    def orders_not_empty(orders):
        return dg.AssetCheckResult(passed=len(orders) > 0, metadata={"rows": len(orders)})
    ```
    """
    for d in model.of_kind("asset_check"):
        if d.is_stub:
            continue
        returns = []
        yields = False
        for node in walk_no_nested_functions(d.node.body):
            if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None
            ):
                returns.append(node.value)
            elif isinstance(node, (ast.Yield, ast.YieldFrom)):
                yields = True
        if yields:
            continue
        if not returns:
            yield at_def(d, name=d.name, why="returns nothing")
        elif all(_is_boolean(model, r) for r in returns):
            yield at_def(d, name=d.name, why="returns a bool, which Dagster rejects at run time")
