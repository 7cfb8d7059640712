"""Lineage in the loaded asset graph: phantom keys, duplicates, cycles (DAG101, 102, 104, 108)."""

from __future__ import annotations

from dagster_lint.registry import runtime_check, runtime_rule
from dagster_lint.runtime.graph import Key, show
from dagster_lint.runtime.rules._common import Graph, hit
from dagster_lint.runtime.rules.explain import cycles, duplicates


def _hint(graph: Graph, key: Key) -> str:
    close = graph.closest_key(key)
    if close:
        return f"did you mean `{close}`?"
    return "declare it with `dg.AssetSpec(...)` if it is produced outside this code location"


@runtime_check(
    "DAG101",
    "`{owner}` depends on `{key}`, which no asset in the loaded `Definitions` of `{target}` produces: "
    "Dagster created a phantom asset for it; {hint}",
)
def unknown_asset_dependency(graph: Graph):
    """Reads the asset graph Dagster built, so dependencies of assets made by factories, dbt,
    components or `load_assets_from_modules(key_prefix=...)` are checked with their real keys:
    a dependency whose key only exists as a stub Dagster created is reported on the line that
    names it (or the asset's `def` line)."""
    for edge in graph.facts.edges:
        child, parent = graph.sides(edge)
        if child is None or parent is None or parent.kind != "stub" or child.kind == "stub":
            continue
        yield hit(graph.locate.reference(child, parent, edge.parent), owner=show(child.key), key=show(edge.parent),
                  target=graph.facts.target, hint=_hint(graph, edge.parent))


@runtime_check(
    "DAG102",
    "asset check `{owner}` targets `{key}`, which no asset in the loaded `Definitions` of `{target}` "
    "produces; {hint}",
)
def unknown_asset_check_target(graph: Graph):
    """Checks every asset check of the loaded `Definitions`, including checks built by
    factories and `build_*_checks` helpers, against the keys of the real asset graph."""
    for check in graph.facts.checks:
        target = graph.assets.get(check.target)
        if target is not None and target.kind != "stub":
            continue  # (Dagster 1.9 makes no stub for a check's missing target: then it is absent)
        yield hit(graph.locate.check_reference(check.name, check.location, check.target), owner=check.name,
                  key=show(check.target), target=graph.facts.target, hint=_hint(graph, check.target))


@runtime_check(
    "DAG104",
    "asset key `{key}` is also produced by `{other}` ({where}): Dagster refuses to load `{target}`; "
    "rename one or give it a `key_prefix`",
)
def duplicate_asset_key(graph: Graph):
    """Reads the assets the `Definitions` object holds when Dagster refuses them for a duplicate
    key: keys made by factories or prefixed by `load_assets_from_modules(key_prefix=...)` are
    compared as Dagster computes them. Each definition is reported on its `def` line."""
    for key, assets in duplicates(graph).items():
        places = [(graph.locate.asset(a), a) for a in assets]
        for place, asset in places:
            others = [(p, a) for p, a in places if a is not asset]
            if place is None or not others:
                continue
            other_place, other = others[0]
            if other_place == place:
                where = "another call of the same function"
            else:
                where = graph.locate.display(other_place) if other_place else "elsewhere"
            yield hit(place, key=show(key), other=other.owner, where=where, target=graph.facts.target)


@runtime_rule(
    "DAG108",
    "dependency-cycle",
    "E",
    "`{owner}` depends on `{parent}`, which depends back on `{owner}` ({cycle}): Dagster refuses to "
    "load a cyclic asset graph; remove one of these dependencies",
    provisional=True,
)
def dependency_cycle(graph: Graph):
    """A cycle in the asset graph.

    ## What it does
    Reports every dependency that is part of a cycle of assets (`a` depends on `b`, which
    depends on `a`, directly or through other assets), on the line that names the upstream
    asset.

    ## Why is this bad?
    Dagster cannot order a cyclic graph: loading the code location fails with a
    `CircularDependencyError` naming only asset keys, not where the dependencies are written.

    ## Example
    ```python
    @dg.asset(deps=["orders_report"])
    def orders(): ...

    @dg.asset(deps=[orders])
    def orders_report(): ...
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(): ...

    @dg.asset(deps=[orders])
    def orders_report(): ...
    ```

    ## Runtime mode
    Finds cycles in the asset graph Dagster built, so dependencies created by factories,
    dbt or components count too; every edge of a cycle is reported where it is written.
    """
    parents = graph.parents
    component = cycles(graph)
    for edge in graph.facts.edges:
        group = component.get(edge.child)
        if group is None or group != component.get(edge.parent):
            continue
        child, parent = graph.sides(edge)
        if child is None:
            continue
        path = _path(parents, edge.parent, edge.child, group, component)
        cycle = " -> ".join(show(k) for k in [edge.child, *path])
        yield hit(graph.locate.reference(child, parent, edge.parent), owner=show(child.key), parent=show(edge.parent),
                  cycle=cycle)


def _path(parents: dict[Key, list[Key]], start: Key, goal: Key, group: int, component: dict[Key, int]) -> list[Key]:
    """The shortest chain of dependencies from `start` back to `goal` inside one cycle."""
    previous: dict[Key, Key | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for nxt in parents.get(node, ()):
            if nxt not in previous and component.get(nxt) == group:
                previous[nxt] = node
                queue.append(nxt)
    chain: list[Key] = []
    node: Key | None = goal if goal in previous else None
    while node is not None:
        chain.append(node)
        node = previous[node]
    return list(reversed(chain)) or [start, goal]
