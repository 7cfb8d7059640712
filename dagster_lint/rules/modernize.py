"""DAG8xx: newer Dagster APIs."""

from __future__ import annotations

import ast

from dagster_lint.model import ModuleModel
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import label


def _keyword(d, name: str) -> ast.keyword | None:
    if d.call is None:
        return None
    return next((kw for kw in d.call.keywords if kw.arg == name), None)


@rule(
    "DAG801",
    "non-argument-deps",
    "R",
    "`non_argument_deps=` on {kind} `{name}` is deprecated (removed in Dagster 2.0); {fix}",
)
def non_argument_deps(model: ModuleModel):
    """`non_argument_deps=` instead of `deps=`.

    ## What it does
    Reports `non_argument_deps=` on `@asset` and `@multi_asset`.

    ## Why is this bad?
    Dagster hides and deprecates the parameter (removal planned for 2.0); `deps=` accepts the
    same keys, plus asset definitions and `AssetDep` objects with partition mappings.

    ## Example
    ```python
    @dg.asset(non_argument_deps={"raw_orders"})
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(deps=["raw_orders"])
    def orders(): ...
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        kw = _keyword(d, "non_argument_deps")
        if kw is not None:
            keys = ast.get_source_segment(model.source, kw.value) or ""
            if keys and "\n" not in keys and len(keys) <= 60:
                fix = f"write `deps={keys}` instead"
            else:
                fix = "use `deps=` with the same keys"
            yield Violation(kw, kind=label(d), name=d.name, fix=fix)


@rule(
    "DAG802",
    "compute-kind",
    "R",
    "`compute_kind=` on {kind} `{name}` is deprecated; {fix}",
)
def compute_kind(model: ModuleModel):
    """`compute_kind=` instead of `kinds=`.

    ## What it does
    Reports `compute_kind=` on `@asset` and `@multi_asset`. `@multi_asset` takes no `kinds=`:
    each `AssetOut` or `AssetSpec` carries its own. `compute_kind=` on `@asset_check` is not
    deprecated and is not reported.

    ## Why is this bad?
    Dagster deprecated `compute_kind` in favour of `kinds`, a set that shows several
    technologies (`{"python", "snowflake"}`) as badges in the UI and can be searched.
    `compute_kind` is hidden from the API docs and will be removed.

    ## Example
    ```python
    @dg.asset(compute_kind="pandas")
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(kinds={"pandas"})
    def orders(): ...
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        kw = _keyword(d, "compute_kind")
        if kw is not None:
            value = kw.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                kinds = f'{{"{value.value}"}}'
            else:
                kinds = "{" + ast.unparse(value) + "}"
            if isinstance(value, ast.Constant) and value.value is None:
                fix = "remove it"
            elif d.kind == "multi_asset":
                fix = f"pass `kinds={kinds}` to each `AssetOut` (or `AssetSpec`) of the multi-asset instead"
            else:
                fix = f"use `kinds={kinds}`, which also allows several kinds"
            yield Violation(kw, kind=label(d), name=d.name, fix=fix)
