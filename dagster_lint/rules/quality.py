"""DAG5xx: data quality, types and tests."""

from __future__ import annotations

import ast

from dagster_lint.model import Definition
from dagster_lint.registry import rule
from dagster_lint.rules._common import at_def, is_not_shadowed_builtin, walk_no_nested_functions

_BOOL_BUILTINS = ("bool", "all", "any", "isinstance", "issubclass", "callable", "hasattr")


def _is_boolean(d: Definition, expr: ast.expr) -> bool:
    """Whether `expr` evaluates to a plain bool (on at least one path, for `and`/`or`)."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, bool)
    if isinstance(expr, ast.Compare):
        return True
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return True
    if isinstance(expr, ast.BoolOp):
        # `a and b` evaluates to one of its operands: a bool operand can be the value.
        return any(_is_boolean(d, v) for v in expr.values)
    if isinstance(expr, ast.IfExp):
        return _is_boolean(d, expr.body) and _is_boolean(d, expr.orelse)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in _BOOL_BUILTINS:
        return is_not_shadowed_builtin(d, expr.func.id)
    return False


def _is_none(expr: ast.expr | None) -> bool:
    return expr is None or (isinstance(expr, ast.Constant) and expr.value is None)


@rule(
    "DAG502",
    "check-returns-no-result",
    "E",
    "asset check `{name}` {why}, so Dagster records no result for it and the step still succeeds; {fix}",
)
def check_returns_no_result(model):
    """Asset check whose body does not produce an `AssetCheckResult`.

    ## What it does
    Reports an `@asset_check` or `@multi_asset_check` function that returns nothing, or
    returns a bool (`return len(df) > 0`, `return True`), on every path or on some paths,
    instead of returning or yielding `dg.AssetCheckResult`.

    It stays quiet for generators (a multi-asset check yields its results), for values it
    cannot see through (a helper's result, a variable), for bodies that end by raising, and
    for stubs.

    ## Why is this bad?
    Dagster only records a check evaluation for an `AssetCheckResult`. For a bool or `None`
    the step succeeds, no evaluation is stored, and the check never shows passed or failed:
    the data problem it was written for goes unnoticed, and a blocking check blocks nothing.

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
        values: list[ast.expr] = []
        empty_returns = 0
        yields = False
        for node in walk_no_nested_functions(d.node.body):
            if isinstance(node, ast.Return):
                if _is_none(node.value):
                    empty_returns += 1
                else:
                    values.append(node.value)
            elif isinstance(node, (ast.Yield, ast.YieldFrom)):
                yields = True
        if yields:
            continue
        if d.decorator == "dagster.multi_asset_check":
            fix = "yield a `dg.AssetCheckResult(check_name=..., passed=...)` for each check"
        else:
            fix = "return `dg.AssetCheckResult(passed=...)` instead"
        booleans = [v for v in values if _is_boolean(d, v)]
        if not values:
            if empty_returns or not isinstance(d.node.body[-1], ast.Raise):
                yield at_def(d, name=d.name, why="returns nothing", fix=fix)
        elif len(booleans) == len(values):
            yield at_def(d, name=d.name, why="returns a bool", fix=fix)
        elif booleans:
            yield at_def(d, name=d.name, why="returns a bool on some paths", fix=fix)
        elif empty_returns:
            yield at_def(d, name=d.name, why="returns `None` on some paths", fix=fix)
