"""Project-wide lineage (DAG1xx, mode P): asset keys across files, read from source."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from dagster_lint.cycles import strongly_connected
from dagster_lint.keys import Key, Reference, show
from dagster_lint.model import ModuleModel
from dagster_lint.project import Entry, ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._project import key_hint, production_entry, project_entry

_CONSEQUENCE = {
    "deps": "Dagster silently creates a phantom asset for it",
    "input": "the code location fails to load (\"Input asset ... is not produced by any of the provided asset ops\")",
}


@rule(
    "DAG101",
    "unknown-asset-dependency",
    "E",
    "{owner} depends on `{key}`, which no asset in this project produces: {consequence}; {hint}",
    mode="P",
)
def unknown_asset_dependency(model: ModuleModel):
    """Dependency on an asset key that nothing in the project produces.

    ## What it does
    Reads every asset key the project produces (`@asset` names, `name=`, `key=`, `key_prefix=`,
    module constants used for them, multi-asset `outs`/`specs`, and the external assets
    declared with `AssetSpec` or `SourceAsset`) from all Python files under the project root,
    and reports a key named in `deps=`, `AssetDep(...)`, `AssetIn(key=...)`,
    `AssetSpec(deps=...)` or as an upstream parameter that none of them produces. Like Dagster,
    it lets a one-part key (`deps=["orders"]`) reach the prefixed asset of that name in the
    same group (`shop/orders`). The message suggests the closest existing key.

    It stays silent about a key that a producer it cannot read might produce: asset factories
    (assets defined inside functions; `name=f"raw_{table}"` only hides keys starting with
    `raw_`), `@dbt_assets` and other integrations, YAML components in a `defs` folder, computed
    keys, loaders with `key_prefix=`, and modules that fill their namespace at run time
    (`globals()`). It also stays silent when the groups that decide a one-part key cannot be
    read, and about Python names (`deps=[raw_orders]`: Python fails on a missing one). Runtime
    mode (`--runtime`) checks the loaded `Definitions` instead.

    ## Why is this bad?
    For `deps=`, Dagster does not fail: it adds an unmaterializable "external" asset with
    that key to the graph. The real upstream asset is not a dependency, so it can change
    without the downstream being marked stale, and automation conditions wait for an asset that
    never updates. For an upstream parameter, the code location fails to load.

    ## Example
    ```python
    # sources.py
    @dg.asset
    def raw_orders(): ...

    # ingest.py
    @dg.asset(deps=["raw_order"])
    def cleaned_orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(deps=["raw_orders"])
    def cleaned_orders(): ...
    ```
    """
    project, entry = project_entry(model)
    if entry is None:
        return
    injected = project.resource_classes | project.config_classes
    # A test module's own assets are known to it (the project's keys leave test modules out).
    own = {p.key for p in entry.summary.produced} if entry.summary.is_test else set()
    for ref in entry.summary.references:
        if ref.key is None or ref.via == "check" or ref.key in own:
            continue
        if ref.via == "parameter" and ref.annotation in injected:
            continue  # a resource or config typed with a project class: injected, not loaded
        if not project.resolve(entry, ref).unknown:
            continue
        yield Violation(line=ref.line, col=ref.col, owner=f"`{ref.owner}`", key=show(ref.key),
                        consequence=_CONSEQUENCE["deps" if ref.nothing else "input"], hint=key_hint(project, ref.key))


@rule(
    "DAG102",
    "unknown-asset-check-target",
    "E",
    "asset check `{owner}` targets `{key}`, which no asset in this project produces: it never runs "
    "after the asset it was written for; {hint}",
    mode="P",
)
def unknown_asset_check_target(model: ModuleModel):
    """Asset check whose target asset does not exist in the project.

    ## What it does
    Reports an asset check that targets an asset key (a string, list or `AssetKey`, or a
    module constant holding one) that no asset or `AssetSpec` in the project produces:
    `@asset_check(asset=...)`, `AssetCheckSpec(..., asset=...)` (in `check_specs=` or a
    `@multi_asset_check`), and the `assets=` of `build_last_update_freshness_checks` and the
    other `build_*_checks` builders. The message names the closest existing key.

    It stays silent about a key that a producer it cannot read might produce (asset factories,
    `@dbt_assets`, YAML components, computed keys), and about Python names (`asset=orders`).
    Runtime mode (`--runtime`) checks the loaded `Definitions` instead.

    ## Why is this bad?
    The check is attached to a key nothing materializes: it never runs after the asset it was
    written for, and the data problem it guards against goes unnoticed.

    ## Example
    ```python
    @dg.asset_check(asset="order")
    def orders_not_empty(): ...
    ```

    ## Use instead
    ```python
    @dg.asset_check(asset="orders")
    def orders_not_empty(): ...
    ```
    """
    project, entry = project_entry(model)
    if entry is None:
        return
    own = {p.key for p in entry.summary.produced} if entry.summary.is_test else set()
    for ref in entry.summary.references:
        if ref.via == "check" and ref.key is not None and ref.key not in own and project.resolve(entry, ref).unknown:
            yield Violation(line=ref.line, col=ref.col, owner=ref.owner, key=show(ref.key),
                            hint=key_hint(project, ref.key))


@rule(
    "DAG104",
    "duplicate-asset-key",
    "E",
    "asset key `{key}` is also produced by `{other}` ({where}): Dagster refuses to load both into one "
    "`Definitions`; rename one or give it a `key_prefix`",
    mode="P",
)
def duplicate_asset_key(model: ModuleModel):
    """Two definitions produce the same asset key.

    ## What it does
    Reports an asset whose key (name, `key=`, `key_prefix=` or a multi-asset output) is also
    produced by another definition in the same code location: the same import root of the
    project, so that separate code locations in one repository may reuse names. Test modules
    are not counted, nor external `AssetSpec`s (declaring an external asset twice is harmless).

    It only compares the keys it can read: assets of factories, dbt, components or computed
    keys are not compared. Runtime mode (`--runtime`) checks the loaded `Definitions`.

    ## Why is this bad?
    `Definitions` fails to load with "Duplicate asset key", taking the whole code location
    down; when the two live in different code locations of one deployment, the UI shows two
    assets under one key and lineage becomes ambiguous.

    ## Example
    ```python
    # sales.py
    @dg.asset
    def orders(): ...

    # marketing.py
    @dg.asset
    def orders(): ...
    ```

    ## Use instead
    ```python
    # marketing.py
    @dg.asset(key_prefix="marketing")
    def orders(): ...
    ```
    """
    project, me = production_entry(model)
    if me is None:
        return
    for produced in me.summary.produced:
        if produced.external:
            continue
        for entry, other in project.producers(produced.key):
            if other.external or entry.group != me.group or (entry is me and other.line == produced.line):
                continue
            yield Violation(line=produced.line, col=produced.col, key=show(produced.key), other=other.owner,
                            where=project.where(entry, other.line))
            break


def _cycle_edges(project: ProjectIndex) -> dict[tuple[Path, int, int], tuple[Key, Key, list[tuple[Key, Entry, int]]]]:
    """Dependencies that lie on a cycle, by (file, line, col): (downstream, upstream, the path
    from the upstream back to the downstream as (key, entry, line) steps)."""
    def compute():
        # Nodes are (code location, key): two locations may reuse a name without a cycle.
        graph: dict[tuple, list[tuple[tuple, Entry, Reference]]] = {}
        for entry, ref, down, up in project.edges:
            target = project.producer(up, near=entry)
            if target is None or target[1].external:
                continue
            if down == up and ref.mapped:
                continue  # a time partition that reads earlier partitions of itself: Dagster allows it
            graph.setdefault((entry.group, down), []).append(((target[0].group, up), entry, ref))
        component = strongly_connected(graph, lambda node: (target for target, _, _ in graph.get(node, ())))
        out = {}
        for node, edges in graph.items():
            for target, entry, ref in edges:
                if component.get(node) is None or component.get(node) != component.get(target):
                    continue
                if node == target or component[node][1] > 1:
                    path = _path(graph, target, node, component)
                    out[(entry.path, ref.line, ref.col)] = (node[1], target[1], path)
        return out

    return project.memo("cycles", compute)


def _path(graph: dict, start: tuple, goal: tuple, component: dict) -> list[tuple[Key, Entry, int]]:
    """The shortest dependency path from `start` to `goal` inside their component, as
    (key reached, entry declaring the dependency, its line) steps."""
    wanted = component[start][0]
    previous: dict = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child, entry, ref in graph.get(node, ()):
            if component.get(child, (None,))[0] != wanted or child in previous:
                continue
            previous[child] = (node, entry, ref.line)
            if child == goal:
                queue.clear()
                break
            queue.append(child)
    steps: list[tuple[Key, Entry, int]] = []
    node = goal
    while node != start and previous.get(node) is not None:
        parent, entry, line = previous[node]
        steps.append((node[1], entry, line))
        node = parent
    return steps[::-1]


@rule(
    "DAG108",
    "dependency-cycle",
    "E",
    "`{down}` depends on `{up}`, {path}: Dagster refuses to load a code location whose asset graph has a "
    "cycle; remove one of these dependencies",
    mode="P",
)
def dependency_cycle(model: ModuleModel):
    """A cycle in the asset graph, reported at every dependency on it.

    ## What it does
    Builds the project's asset graph from every dependency the index resolves (parameters,
    `ins=`, `deps=` with keys or Python names, multi-asset specs' `deps=`, across files and
    through one-part keys matched by group) and reports each dependency that lies on a cycle,
    in the file that declares it, with the path that leads back. An asset that depends on
    itself is a cycle of one, unless the dependency has a `partition_mapping=` (a time
    partition reading earlier partitions of the same asset, which Dagster allows).
    Dependencies between the specs of one multi-asset are edges like any other.

    It only sees the dependencies it can read: keys from asset factories, dbt or components
    never close a cycle here. Runtime mode (`--runtime`) checks the loaded asset graph.

    ## Why is this bad?
    Dagster reports the cycle only when it loads the code location, which then fails to
    load as a whole; the error names the assets but not the lines that made the cycle.

    ## Example
    ```python
    # orders.py
    @dg.asset(deps=["customers"])
    def orders(): ...

    # customers.py
    @dg.asset
    def customers(orders): ...
    ```

    ## Use instead
    ```python
    # customers.py
    @dg.asset
    def customers(): ...
    ```
    """
    project, entry = production_entry(model)
    if entry is None or not entry.summary.references:
        return
    cycles = _cycle_edges(project)
    if not cycles:
        return
    for ref in entry.summary.references:
        found = cycles.get((entry.path, ref.line, ref.col))
        if found is None:
            continue
        down, up, path = found
        if down == up:
            shown = "that is, on itself"
        else:
            shown = "which depends back on it: " + ", ".join(
                f"`{show(prev)}` depends on `{show(key)}` ({project.where(e, line)})"
                for prev, (key, e, line) in zip([up] + [k for k, _, _ in path], path))
        yield Violation(line=ref.line, col=ref.col, down=show(down), up=show(up), path=shown)
