"""Data quality across files (DAG501, DAG505, DAG507; mode P): which assets have checks,
which checks `Definitions` loads, which assets the tests exercise."""

from __future__ import annotations

from dagster_lint.config import config_for
from dagster_lint.keys import Key, show
from dagster_lint.model import ModuleModel
from dagster_lint.project import Entry, ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import KIND_LABELS, at_def
from dagster_lint.rules._project import production_entry

# Definitions that materialize data a check can look at.
_CHECKABLE = frozenset({"asset", "multi_asset", "graph_asset"})


def _checked_keys(project: ProjectIndex) -> set[Key]:
    """Keys some production asset check targets (by key, or by the Python name of the asset)."""
    def compute():
        out: set[Key] = set()
        for entry in project.production():
            for ref in entry.summary.references:
                if ref.via == "check":
                    out.update(project.resolve(entry, ref).keys)
        return out

    return project.memo("checked_keys", compute)


def _show_keys(keys: list[Key]) -> str:
    return ", ".join(f"`{show(k)}`" for k in keys)


@rule(
    "DAG501",
    "asset-without-checks",
    "C",
    "{kind} `{name}` has no asset check on {keys}: a run that writes empty or wrong data is recorded as a success "
    "and downstream assets read it; add `@dg.asset_check(asset={target})` or `check_specs=[...]`, or list its "
    "group `{group}` in `ignore-groups` under `[tool.dagster-lint]`",
    mode="P",
)
def asset_without_checks(model: ModuleModel):
    """Asset that no asset check targets.

    ## What it does
    Collects every asset check target of the project (`@asset_check(asset=...)`,
    `AssetCheckSpec(..., asset=...)` in `check_specs=` or `@multi_asset_check`, the `assets=`
    of `build_last_update_freshness_checks`, `build_column_schema_change_checks` and the other
    `build_*_checks` builders; by key or by the asset's Python name, across files) and reports,
    at its `def` line, an `@asset`, `@multi_asset` or `@graph_asset` with an output that none
    of them targets. External `AssetSpec`s and observable source assets are not asked for
    checks, nor test modules.

    Assets of the groups listed in `ignore-groups` under `[tool.dagster-lint]` are skipped
    (`ignore-groups = ["staging", "default"]`; `default` is Dagster's group for assets without
    `group_name=`). The group is the asset's literal `group_name=`, or the one the loader that
    loads its module gives (`load_assets_from_modules([...], group_name=...)`).

    It stays silent about an asset that a check it cannot read might target: a check built in
    a function (a factory), a builder given a computed `assets=` list, YAML components, dbt
    source tests (`enable_source_tests_as_checks=True`); and
    about assets whose group it cannot read while `ignore-groups` is set. Runtime mode
    (`--runtime`) checks the loaded `Definitions` instead.

    ## Why is this bad?
    Without a check, Dagster records every materialization as a success, whatever the data
    looks like: an empty extract, duplicated keys or a broken schema surface only when someone
    reads a dashboard. Checks make that failure visible at the asset, in the UI and to
    automation.

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
    def orders_have_ids(orders) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=bool(orders) and all("id" in o for o in orders))
    ```
    """
    project, entry = production_entry(model)
    if entry is None or not entry.summary.produced:
        return
    kinds = {d.name: d for d in model.definitions if not d.nested}
    checked = _checked_keys(project)
    ignored = config_for(model.path).ignore_groups
    by_owner: dict[str, list] = {}
    for produced in entry.summary.produced:
        d = kinds.get(produced.owner)
        if produced.external or d is None or d.line != produced.line or d.kind not in _CHECKABLE:
            continue
        if produced.key in checked or project.might_check(produced.key) is not None:
            continue
        group = project.asset_group(entry, produced)
        if ignored and (group is None or group in ignored):
            continue
        by_owner.setdefault(produced.owner, []).append((produced, group))
    for owner, items in by_owner.items():
        d = kinds[owner]
        keys = [p.key for p, _ in items]
        if d.kind != "multi_asset":
            target = d.name
        else:
            target = f'"{keys[0][0]}"' if len(keys[0]) == 1 else "[" + ", ".join(f'"{p}"' for p in keys[0]) + "]"
        yield at_def(d, kind=KIND_LABELS.get(d.kind, d.kind), name=d.name, keys=_show_keys(keys), target=target,
                     group=items[0][1] or "default")


# ----------------------------------------------------------------------------- DAG505


def _check_objects(entry: Entry) -> list[dict]:
    return (entry.summary.facts.get("definitions") or {}).get("checks", [])


def _check_names(entry: Entry, name: str):
    return next((c for c in _check_objects(entry) if c["name"] == name), None)


def _loader_named(entry: Entry, name: str):
    facts = entry.summary.facts.get("definitions") or {}
    index = (facts.get("loader_names") or {}).get(name)
    return facts["loaders"][index] if index is not None else None


class _Feed:
    """What one `Definitions(...)` loads: asset loaders, modules whose checks are loaded, and
    check objects named one by one; `readable` is False when some item cannot be followed."""

    def __init__(self, project: ProjectIndex, entry: Entry, facts: dict, definition: dict):
        self.asset_loaders: list[tuple[Entry, dict]] = []
        self.checked_modules: set = set()
        self.checks: set[tuple] = set()
        self.readable = True
        loaders = facts.get("loaders", [])
        for item in definition["assets"] + definition["asset_checks"]:
            if "opaque" in item:
                self.readable = False
            elif "loader" in item:
                self._loader(project, entry, loaders[item["loader"]])
            else:
                self._symbol(project, entry, item["symbol"])

    def _loader(self, project: ProjectIndex, entry: Entry, loader: dict) -> None:
        if loader["checks"]:
            loaded = project.loaded_by(entry, loader)
            if loaded is None:
                self.readable = False
            else:
                self.checked_modules.update(e.path for e in loaded)
        elif loader["assets"]:
            self.asset_loaders.append((entry, loader))

    def _symbol(self, project: ProjectIndex, entry: Entry, symbol: str) -> None:
        if project.symbol_keys(entry, symbol):
            return  # an asset
        check = project.lookup(entry, symbol, _check_names, "check")
        if check is not None:
            self.checks.add((check[0].path, check[1]["name"]))
            return
        loader = project.lookup(entry, symbol, _loader_named, "loader")
        if loader is not None:
            self._loader(project, loader[0], loader[1])
            return
        self.readable = False


@rule(
    "DAG505",
    "asset-checks-not-loaded",
    "E",
    "`{loader}(...)` loads {modules}, whose asset checks {checks} nothing loads into this `Definitions` "
    "({where}): Dagster silently drops them; add `asset_checks=dg.load_asset_checks_from_modules([{names}])`",
    mode="P",
)
def asset_checks_not_loaded(model: ModuleModel):
    """Asset checks in modules whose assets are loaded, while the checks are not.

    ## What it does
    For each `Definitions(...)` of the module, follows its `assets=` to the modules that
    `load_assets_from_modules`, `load_assets_from_package_module` (and the `_package_name`
    and `_current_module` variants) load, across files, and reports the loader when those
    modules define asset checks (`@asset_check`, `@multi_asset_check`, a module-level
    `build_*_checks(...)`) that neither `asset_checks=` (`load_asset_checks_from_modules(...)`
    or the check objects themselves) nor `assets=` brings in. The message lists the dropped
    checks with their file and line.

    It stays silent when some item of `assets=` or `asset_checks=` cannot be followed (a
    computed list, a name it cannot resolve), for `Definitions.merge` and `@definitions`
    functions that combine several objects, and for `load_definitions_from_module(s)` and
    defs folders, which load checks too. The rule has no runtime twin: the loaded
    `Definitions` no longer hold the dropped checks.

    ## Why is this bad?
    The asset loaders skip asset checks on purpose: the code location loads, the assets run,
    and the checks written for them never run and never show up in the UI. Nothing fails, so
    nobody notices until bad data gets through.

    ## Example
    ```python
    # definitions.py
    from shop import assets  # defines @dg.asset_check functions too

    defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]))
    ```

    ## Use instead
    ```python
    defs = dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        asset_checks=dg.load_asset_checks_from_modules([assets]),
    )
    ```
    """
    project, entry = production_entry(model)
    if entry is None:
        return
    facts = entry.summary.facts.get("definitions") or {}
    if not facts.get("definitions") or facts.get("merges"):
        return
    for definition in facts["definitions"]:
        feed = _Feed(project, entry, facts, definition)
        if not feed.readable:
            continue
        for loader_entry, loader in feed.asset_loaders:
            modules = project.loaded_by(loader_entry, loader)
            if modules is None:
                continue
            dropped = [
                (module, check)
                for module in modules
                if module.path not in feed.checked_modules and not module.summary.is_test
                for check in _check_objects(module)
                if (module.path, check["name"]) not in feed.checks
            ]
            if not dropped:
                continue
            shown = ", ".join(f"`{c['name']}` ({project.where(m, c['line'])})" for m, c in dropped[:3])
            if len(dropped) > 3:
                shown += f" and {len(dropped) - 3} more"
            holders = sorted({m.path.stem if m.path.name != "__init__.py" else m.path.parent.name for m, _ in dropped})
            line = loader["line"] if loader_entry is entry else definition["line"]
            col = loader["col"] if loader_entry is entry else definition["col"]
            yield Violation(line=line, col=col, loader=loader["func"], modules=", ".join(f"`{h}`" for h in holders),
                            checks=shown, where=project.where(entry, definition["line"]), names=", ".join(holders))


# ----------------------------------------------------------------------------- DAG507


def _tested(project: ProjectIndex) -> tuple[set[Key], set, bool]:
    """(keys the tests name, modules they load assets from, whether some test runs a whole job)."""
    def compute():
        keys: set[Key] = set()
        modules: set = set()
        wholesale = False
        for entry, facts in project.facts("tests", tests=True):
            if not entry.summary.is_test:
                continue
            wholesale = wholesale or bool(facts.get("wholesale"))
            for use in facts.get("uses", []):
                keys.update(project.symbol_keys(entry, use) or ())
            for module in facts.get("modules", []):
                found = project.module(entry, module)
                if found is None:
                    wholesale = True
                else:
                    modules.add(found.path)
        return keys, modules, wholesale

    return project.memo("tested", compute)


@rule(
    "DAG507",
    "asset-untested",
    "C",
    "{kind} `{name}` is not used by any test of this project: nothing checks that it computes what it should; "
    "add a test that calls it directly or runs `dg.materialize([{name}])` and asserts on the result",
    mode="P",
    default=False,
)
def asset_untested(model: ModuleModel):
    """Asset that no test of the project exercises.

    ## What it does
    Reads the project's test modules (under `tests/`, `test_*.py`, `*_test.py`) and reports,
    at its `def` line, an `@asset`, `@multi_asset` or `@graph_asset` that none of them uses:
    imported and called directly (`orders(build_asset_context())`), passed to
    `dg.materialize([...])`, or loaded with `load_assets_from_modules([module])`.

    It stays silent for the whole project when a test runs assets it does not name (a job's
    or a `Definitions`' `execute_in_process()`, `materialize(all_assets)` with a computed
    list), since any asset might be tested that way, and about assets whose definitions it
    cannot read (factories, dbt, components); the rule has no runtime twin. Off by default:
    enable it with `extend-select = ["DAG507"]`.

    ## Why is this bad?
    An asset without a test changes behaviour unnoticed: a refactor, a new upstream column or
    a library update breaks it in production, during a backfill, instead of in CI.

    ## Example
    ```python
    # assets.py
    @dg.asset
    def orders(): ...
    ```

    ## Use instead
    ```python
    # tests/test_assets.py
    from shop.assets import orders

    def test_orders():
        result = dg.materialize([orders])
        assert result.success
    ```
    """
    project, entry = production_entry(model)
    if entry is None or not entry.summary.produced:
        return
    keys, modules, wholesale = _tested(project)
    if wholesale or entry.path in modules:
        return
    for d in model.definitions:
        if d.nested or d.kind not in _CHECKABLE:
            continue
        produced = [p for p in entry.summary.produced if p.owner == d.name and p.line == d.line and not p.external]
        if produced and not any(p.key in keys for p in produced):
            yield at_def(d, kind=KIND_LABELS.get(d.kind, d.kind), name=d.name)
