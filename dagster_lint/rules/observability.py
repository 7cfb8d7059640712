'''DAG7xx: observability.'''

from __future__ import annotations

import ast

from dagster_lint.model import Definition, ModuleModel, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, compute_bodies, is_not_shadowed_builtin, label

# Dagster uses the docstring of these as their description when `description=` is not given.
_DOCSTRING_KINDS = ("asset", "multi_asset", "graph_asset", "asset_check", "job")
# These show only `description=`: their docstring never reaches the UI.
_DESCRIPTION_ONLY_KINDS = ("sensor", "schedule", "observable_source_asset")
_DESCRIBED_CALLS = {"dagster.define_asset_job": "job", "dagster.ScheduleDefinition": "schedule"}
_NONE = "has no description"
_PLURAL = {"sensor": "sensors", "schedule": "schedules", "observable source asset": "observable source assets"}


@rule(
    "DAG701",
    "missing-description",
    "C",
    "{kind} `{name}` {problem}; {fix} so the Dagster UI says what it is",
)
def missing_description(model: ModuleModel):
    '''Asset, check, job, sensor or schedule without a description.

    ## What it does
    Reports an `@asset`, `@multi_asset`, `@graph_asset`, `@asset_check` or `@job` function
    with neither a docstring nor `description=`; a `@sensor` (any sensor decorator),
    `@schedule` or `@observable_source_asset` function without `description=` (Dagster does
    not use their docstring); a `@multi_asset_check` whose `dg.AssetCheckSpec`s have no
    `description=`; and `define_asset_job(...)` / `ScheduleDefinition(...)` calls without
    `description=`.

    A multi-asset whose outs or specs all have a `description=` is described. Definitions in
    test modules, those built inside factory functions and those whose arguments come from
    `**kwargs` are not reported.

    ## Why is this bad?
    The description is what the Dagster UI, the asset catalog and search show to the people
    who consume the data. Without it, they have to find and read the code.

    ## Example
    ```python
    @dg.asset
    def daily_revenue(orders): ...


    @dg.sensor(job=refresh_job)
    def new_files():
        """Starts a refresh when a file lands in the inbox."""
    ```

    ## Use instead
    ```python
    @dg.asset
    def daily_revenue(orders):
        """Revenue per day in EUR, net of refunds."""


    @dg.sensor(job=refresh_job, description="Starts a refresh when a file lands in the inbox.")
    def new_files(): ...
    ```
    '''
    if model.is_test_module:
        return
    for d in model.of_kind(*_DOCSTRING_KINDS, *_DESCRIPTION_ONLY_KINDS):
        if d.nested or (d.call is not None and any(kw.arg is None for kw in d.call.keywords)):
            continue  # a factory, or **kwargs that may carry the description
        name = literal_str(d.kwarg("name")) or d.name
        if d.decorator == "dagster.multi_asset_check":
            undescribed = _undescribed(model, d.kwarg("specs"), "dagster.AssetCheckSpec")
            if undescribed:
                problem = f"has checks without a description ({', '.join(f'`{c}`' for c in undescribed)})"
                if d.has_docstring() or "description" in d.kwargs:
                    problem += ", and Dagster does not show the function's docstring or `description=` on them"
                yield at_def(
                    d, kind="multi-asset check", name=name, problem=problem,
                    fix="pass `description=` to each `dg.AssetCheckSpec`",
                )
            continue
        if "description" in d.kwargs:
            continue
        if d.kind in _DOCSTRING_KINDS:
            if not (d.has_docstring() or _outs_described(model, d)):
                yield at_def(d, kind=label(d), name=name, problem=_NONE, fix="add a docstring or `description=`")
        elif d.has_docstring():
            kind = label(d)
            problem = f"has a docstring, which Dagster does not show for {_PLURAL[kind]}"
            yield at_def(d, kind=kind, name=name, problem=problem, fix="pass the text as `description=`")
        else:
            yield at_def(d, kind=label(d), name=name, problem=_NONE, fix="add `description=`")

    assigned = _assigned_names(model)
    for qualname, kind in _DESCRIBED_CALLS.items():
        for call in model.calls_to(qualname):
            keywords = {kw.arg for kw in call.keywords}
            if "description" in keywords or None in keywords or _inside_function(model, call):
                continue
            positional = call.args[0] if call.args else None
            name_node = next((kw.value for kw in call.keywords if kw.arg == "name"), positional)
            job = next((kw.value for kw in call.keywords if kw.arg in ("job", "job_name")), None)
            shown_kind = kind
            if name_node is not None:
                shown = _name(name_node)
            elif id(call) in assigned:
                shown = assigned[id(call)]
            elif job is not None:
                # Dagster names it after the job; the job's name may not be visible here.
                shown_kind, shown = f"{kind} of job", _name(job)
            else:
                shown = "(unnamed)"
            yield Violation(call, kind=shown_kind, name=shown, problem=_NONE, fix="add `description=`")


def _name(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)


def _has_description(call: ast.Call) -> bool:
    return any(kw.arg in ("description", None) for kw in call.keywords)


def _undescribed(model: ModuleModel, specs: ast.expr | None, spec_class: str) -> list[str]:
    """Names of the literal `spec_class(...)` entries of `specs` without a description."""
    if not isinstance(specs, (ast.List, ast.Tuple)):
        return []
    out = []
    for spec in specs.elts:
        if isinstance(spec, ast.Call) and model.qualname(spec.func) == spec_class and not _has_description(spec):
            name = next((kw.value for kw in spec.keywords if kw.arg == "name"), spec.args[0] if spec.args else None)
            out.append(_name(name) if name is not None else "(unnamed)")
    return out


def _outs_described(model: ModuleModel, d: Definition) -> bool:
    """A multi-asset whose every out or spec (written out literally) has a description."""
    entries: list[ast.expr] = []
    outs, specs = d.kwarg("outs"), d.kwarg("specs")
    if isinstance(outs, ast.Dict):
        entries += outs.values
    if isinstance(specs, (ast.List, ast.Tuple)):
        entries += specs.elts
    return bool(entries) and all(isinstance(e, ast.Call) and _has_description(e) for e in entries)


def _assigned_names(model: ModuleModel) -> dict[int, str]:
    """Module-level `name = call(...)`: the variable naming each call."""
    return {
        id(stmt.value): stmt.targets[0].id
        for stmt in model.tree.body
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
    }


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
    "`print()` in {kind} `{name}` writes to {stream}, not to the Dagster event log; use `context.log.info(...)` "
    "or `dg.get_dagster_logger().info(...)`",
)
def print_in_asset(model: ModuleModel):
    """`print()` in an asset, op or asset check body.

    ## What it does
    Reports calls to the builtin `print` inside `@asset`, `@multi_asset`, `@op`,
    `@asset_check` and `@observable_source_asset` bodies, helpers defined inside the body
    included. A `print` that the module rebinds (an import such as `from rich import print`,
    a module-level function, a local `print = ...`) is not reported, nor `print(..., file=f)`
    writing to a file. Sensors and schedules are not steps of a run and are not covered.

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
        builtin_print = is_not_shadowed_builtin(d, "print")
        for qualname, call in d.calls:
            if qualname == "builtins.print" or (
                builtin_print and isinstance(call.func, ast.Name) and call.func.id == "print"
            ):
                stream = _stream(model, d, call)
                if stream is not None:
                    yield Violation(call, kind=label(d), name=d.name, stream=stream)


def _stream(model: ModuleModel, d: Definition, call: ast.Call) -> str | None:
    """Where the `print` goes: "stdout", "stderr", or None for a file."""
    target = next((kw.value for kw in call.keywords if kw.arg == "file"), None)
    if target is None or (isinstance(target, ast.Constant) and target.value is None):
        return "stdout"
    name = model.qualname(target, d)
    if name in ("sys.stdout", "sys.stderr"):
        return name.split(".")[1]
    return None
