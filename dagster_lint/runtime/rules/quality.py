"""Asset checks of the loaded Definitions (DAG501)."""

from __future__ import annotations

from dagster_lint.registry import runtime_rule
from dagster_lint.runtime.graph import show
from dagster_lint.runtime.rules._common import Graph, hit


@runtime_rule(
    "DAG501",
    "asset-without-checks",
    "C",
    "asset `{key}` has no asset check in the loaded `Definitions`: bad data it writes goes unnoticed "
    "downstream; add an `@dg.asset_check(asset=...)` or `check_specs=` for what it must guarantee",
    provisional=True,
)
def asset_without_checks(graph: Graph):
    """Asset that no asset check targets.

    ## What it does
    Reports a materializable asset that no asset check targets (`@asset_check`,
    `check_specs=`, `build_*_checks` helpers, freshness checks).

    ## Why is this bad?
    Without a check, an asset that writes empty, duplicated or stale data is marked a success
    and its consumers build on it; the UI has nothing to show for its health.

    ## Example
    ```python
    @dg.asset
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(): ...

    @dg.asset_check(asset=orders)
    def orders_not_empty(): ...
    ```

    ## Runtime mode
    Reads the checks of the loaded `Definitions`, so checks built by factories and
    integrations (dbt tests are asset checks) count.
    """
    checked = {c.target for c in graph.facts.checks}
    seen = set()
    for asset in graph.facts.assets:
        if asset.kind != "materializable" or asset.key in checked or asset.key in seen:
            continue
        seen.add(asset.key)
        yield hit(graph.locate.asset(asset), key=show(asset.key))
