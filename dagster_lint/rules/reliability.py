"""DAG4xx: reliability and idempotency."""

from __future__ import annotations

import ast

from dagster_lint.model import ModuleModel
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import compute_bodies, label, walk_no_nested_functions

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_CHECK_RESULTS = frozenset({"dagster.AssetCheckResult"})


def _broad(model: ModuleModel, handler: ast.ExceptHandler) -> str | None:
    """`except:`, `except Exception` (also in a tuple): the text to show, or None."""
    if handler.type is None:
        return "except:"
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        name = t.id if isinstance(t, ast.Name) and t.id not in model.imports else model.qualname(t)
        if name in _BROAD:
            return f"except {ast.unparse(handler.type)}"
    return None


def _handles(model: ModuleModel, handler: ast.ExceptHandler) -> bool:
    """Whether the handler makes the failure visible: it raises, or reports a failed check."""
    for node in walk_no_nested_functions(handler.body):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, (ast.Return, ast.Yield)) and isinstance(node.value, ast.Call):
            if model.qualname(node.value.func) in _CHECK_RESULTS:
                return True
    return False


@rule(
    "DAG401",
    "exception-swallowed",
    "W",
    "`{clause}` in {kind} `{name}` swallows the error: the run is recorded as a success with missing "
    "or wrong data; re-raise, or raise `dg.Failure(...)` / `dg.RetryRequested(...)`",
)
def exception_swallowed(model: ModuleModel):
    """Broad `except` in an asset or op that hides the failure.

    ## What it does
    Reports `except:`, `except Exception:` and `except BaseException:` in an `@asset`,
    `@multi_asset`, `@op` or `@asset_check` body whose handler neither raises (a bare `raise`,
    `raise ... from err`, `dg.Failure`, `dg.RetryRequested`) nor, in an asset check, returns a
    failed `AssetCheckResult`. Handlers inside a loop (skipping one bad item) and handlers of
    specific exception types are not reported.

    ## Why is this bad?
    Dagster marks the step successful, the asset shows a fresh materialization, and
    downstream assets run on missing or partial data. Nobody is alerted, and retries never
    trigger.

    ## Example
    ```python
    @dg.asset
    def orders(api: ShopApi):
        try:
            return api.fetch_orders()
        except Exception as err:
            print(f"fetch failed: {err}")
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(api: ShopApi):
        try:
            return api.fetch_orders()
        except ShopApiThrottled as err:
            raise dg.RetryRequested(max_retries=3, seconds_to_wait=60) from err
    ```
    """
    for d in compute_bodies(model):
        yield from _swallowed_in(model, d, d.node.body, in_loop=False)


def _swallowed_in(model, d, body, in_loop):
    for stmt in body:
        for node in _statements(stmt):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                yield from _swallowed_in(model, d, node.body, in_loop=True)
                yield from _swallowed_in(model, d, node.orelse, in_loop=in_loop)
            elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
                yield from _swallowed_in(model, d, node.body, in_loop)
                for handler in node.handlers:
                    clause = _broad(model, handler)
                    if clause and not in_loop and not _handles(model, handler):
                        yield Violation(handler, line=handler.lineno, col=handler.col_offset,
                                        clause=clause, kind=label(d), name=d.name)
                    yield from _swallowed_in(model, d, handler.body, in_loop)
                yield from _swallowed_in(model, d, node.orelse, in_loop)
                yield from _swallowed_in(model, d, node.finalbody, in_loop)
            elif isinstance(node, (ast.If, ast.With, ast.AsyncWith)):
                yield from _swallowed_in(model, d, node.body, in_loop)
                yield from _swallowed_in(model, d, getattr(node, "orelse", []), in_loop)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    yield from _swallowed_in(model, d, case.body, in_loop)


def _statements(stmt):
    # Nested functions run when called, possibly per item; their handlers are theirs to judge.
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return ()
    return (stmt,)
