"""Project-wide lineage (DAG1xx, mode P): asset keys across files, read from source."""

from __future__ import annotations

import difflib

from dagster_lint.keys import show
from dagster_lint.model import ModuleModel
from dagster_lint.project import ProjectIndex
from dagster_lint.registry import Violation, rule

def _complete(project: ProjectIndex | None) -> bool:
    return project is not None and not project.opaque()


def _suggestion(project: ProjectIndex, wanted: tuple[str, ...]) -> str:
    known = project.known_keys()
    by_text = {show(k): k for k in known}
    close = difflib.get_close_matches(show(wanted), list(by_text), n=1, cutoff=0.75)
    if not close:
        return "declare it with `dg.AssetSpec(...)` if it is produced outside this project"
    entry, produced = known[by_text[close[0]]]
    return f"did you mean `{close[0]}` ({project.where(entry, produced.line)})?"


@rule(
    "DAG101",
    "unknown-asset-dependency",
    "E",
    "{owner} depends on `{key}`, which no asset in this project produces: Dagster silently creates a "
    "phantom asset for it; {hint}",
    mode="P",
)
def unknown_asset_dependency(model: ModuleModel):
    """Dependency on an asset key that nothing in the project produces.

    ## What it does
    Reads every asset key the project produces (`@asset` names, `name=`, `key=`, `key_prefix=`,
    multi-asset `outs`/`specs`, and the external assets declared with `AssetSpec` or
    `SourceAsset`) from all Python files under the project root, and reports a key named in
    `deps=`, `AssetDep(...)`, `AssetIn(key=...)`, `AssetSpec(deps=...)` or as an upstream
    parameter that none of them produces. The message suggests the closest existing key.

    It stays silent when the project has producers whose keys cannot be read from source
    (asset factories, `@dbt_assets`, components or `defs` folders, computed keys,
    `load_assets_from_package_module`): runtime mode checks those against the real asset graph.

    ## Why is this bad?
    Dagster does not fail: it adds an unmaterializable "external" asset with that key to the
    graph. The real upstream asset is not a dependency, so it can change without the downstream
    being marked stale, and automation conditions wait for an asset that never updates.

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
    project = model.project
    if not _complete(project):
        return
    known = project.known_keys()
    summary = project.entries.get(_self_path(model))
    if summary is None:
        return
    resources = project.resource_classes
    for ref in summary.summary.references:
        if ref.key is None or ref.via == "check" or ref.key in known:
            continue
        if ref.via == "parameter" and ref.annotation in resources:
            continue  # a resource typed with a project class: injected, not loaded
        yield Violation(line=ref.line, col=ref.col, owner=_owner(ref), key=show(ref.key), hint=_suggestion(project, ref.key))


@rule(
    "DAG102",
    "unknown-asset-check-target",
    "E",
    "asset check `{owner}` targets `{key}`, which no asset in this project produces; {hint}",
    mode="P",
)
def unknown_asset_check_target(model: ModuleModel):
    """Asset check whose target asset does not exist in the project.

    ## What it does
    Reports `@asset_check(asset=...)` naming an asset key (a string, list or `AssetKey`) that no
    asset or `AssetSpec` in the project produces, with the closest existing key.

    It stays silent when the project has producers whose keys cannot be read from source
    (asset factories, `@dbt_assets`, components or `defs` folders, computed keys,
    `load_assets_from_package_module`): runtime mode checks those against the real asset graph.

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
    project = model.project
    if not _complete(project):
        return
    known = project.known_keys()
    entry = project.entries.get(_self_path(model))
    if entry is None:
        return
    for ref in entry.summary.references:
        if ref.via == "check" and ref.key is not None and ref.key not in known:
            yield Violation(line=ref.line, col=ref.col, owner=ref.owner, key=show(ref.key), hint=_suggestion(project, ref.key))


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
    are not counted.

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
    project = model.project
    if project is None:
        return
    me = project.entries.get(_self_path(model))
    if me is None or me.summary.is_test:
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


def _owner(ref) -> str:
    return f"asset check `{ref.owner}`" if ref.via == "check" else f"`{ref.owner}`"


def _self_path(model: ModuleModel):
    from pathlib import Path

    return Path(model.path).resolve()
