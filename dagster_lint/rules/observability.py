'''DAG7xx: observability.'''

from __future__ import annotations

import ast
from pathlib import Path

from dagster_lint.facts import default_io_manager
from dagster_lint.model import Definition, ModuleModel, literal_str
from dagster_lint.project import ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import (
    at_def,
    compute_bodies,
    is_not_shadowed_builtin,
    label,
    walk_no_nested_functions,
)

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

    A multi-asset whose outs or specs all have a `description=` is described, and so is one
    whose specs are built where the module cannot see their arguments (a loader's specs, a
    spec rewritten with `.replace_attributes(...)`): only an `AssetOut(...)` or
    `AssetSpec(...)` written out in the module (inline or as a module-level name) without
    `description=` leaves an asset undescribed. Definitions in
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
    """A multi-asset whose outs and specs all have a description, or may have one: Dagster shows
    each asset's own description, and specs built elsewhere (a module-level `AssetSpec` with
    `description=`, a loader's specs) carry theirs. Only an `AssetOut(...)` / `AssetSpec(...)`
    written out here without one leaves its asset undescribed."""
    entries: list[ast.expr] = []
    for key in ("outs", "specs"):
        value = d.kwarg(key)
        if value is None:
            continue
        value = _module_value(model, value)
        if isinstance(value, ast.Dict):
            entries += [v for k, v in zip(value.keys, value.values) if k is not None]
        elif isinstance(value, (ast.List, ast.Tuple)):
            for element in value.elts:
                inner = _module_value(model, element.value) if isinstance(element, ast.Starred) else None
                entries += inner.elts if isinstance(inner, (ast.List, ast.Tuple)) else [element]
        elif isinstance(value, (ast.ListComp, ast.GeneratorExp)):
            entries.append(value.elt)
        elif isinstance(value, ast.DictComp):
            entries.append(value.value)
        else:
            return True  # built where this module cannot see
    if not entries:
        return False
    for entry in entries:
        entry = _module_value(model, entry)
        if isinstance(entry, ast.Call) and _last_name(entry.func) in _SPEC_CLASSES and not _has_description(entry):
            return False
    return True


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
        calls = [
            (qualname, call)
            for qualname, call in d.calls
            if qualname == "builtins.print" or (type(call.func) is ast.Name and call.func.id == "print")
        ]
        builtin_print = bool(calls) and is_not_shadowed_builtin(d, "print")  # the body's names: only if needed
        for qualname, call in calls:
            if qualname == "builtins.print" or builtin_print:
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


# ----------------------------------------------------------------------------- DAG702

_METADATA_METHODS = frozenset({"add_output_metadata", "add_asset_metadata"})
_RESULT_CLASSES = {"dagster.MaterializeResult": "MaterializeResult", "dagster.Output": "Output"}
# Events that carry metadata: built from `**kwargs`, they may.
_EVENT_CLASSES = frozenset(
    {"MaterializeResult", "Output", "DynamicOutput", "AssetMaterialization", "AssetObservation", "ObserveResult"}
)


@rule(
    "DAG702",
    "no-materialization-metadata",
    "C",
    "{kind} `{name}` {returns} but attaches no metadata describing it; {fix} (row count, preview, "
    "source) so each materialization in the UI shows what it produced",
    mode="S,P",
    default=False,
)
def no_materialization_metadata(model: ModuleModel):
    '''Asset that returns data without attaching any metadata that describes it.

    ## What it does
    Reports an `@asset` or `@multi_asset` function that returns or yields a value and
    attaches no metadata anywhere: no `metadata=` on the decorator or on its `AssetOut`s /
    `AssetSpec`s, no call in the body passing `metadata=` or `output_metadata=`
    (`dg.MaterializeResult(metadata=...)`, `dg.Output(value, metadata=...)`,
    `dg.AssetMaterialization(metadata=...)`...), and no `context.add_output_metadata(...)`
    or `context.add_asset_metadata(...)`.

    It stays quiet for stubs, for assets that return nothing (or only `None`), for bodies
    that hand `context` to a helper or client (which may add the metadata, as Dagster Pipes
    clients do), for results returned from a function of the same module that attaches
    metadata, for decorators fed from `**kwargs`, for multi-assets whose outs or specs are
    built where the module cannot see them, and in test modules. Integration assets
    (`@dbt_assets`, ...) and ops are not covered.

    It also stays quiet for assets that name an I/O manager with `io_manager_key=` (on the
    decorator or on an `AssetOut`): I/O managers often record metadata of their own when
    they store the value (Dagster's Snowflake, BigQuery and DuckDB ones record the row count
    and the table schema, and project I/O managers commonly call
    `context.add_output_metadata`). For the same reason it stays quiet in a project that
    binds `"io_manager"`, the default, to one of Dagster's database I/O managers
    (`DuckDBPandasIOManager`, `SnowflakePandasIOManager`, `BigQueryPandasIOManager`, ...; the
    list is `METADATA_RECORDING_IO_MANAGERS` in `dagster_lint/knowledge.py`), directly or
    through a name imported from another module of the project.

    Off by default: it is a convention, and a project's own default I/O manager may record
    metadata too, which cannot be seen from the asset's source.

    ## Why is this bad?
    Metadata is what the asset catalog plots and compares between materializations: a row
    count that drops to zero, a preview that looks wrong, the source a run read from. The
    default filesystem I/O manager records only the path it wrote to, so without metadata
    from the asset every materialization looks the same, and a broken one is only found
    downstream.

    ## Example
    ```python
    @dg.asset
    def orders() -> pd.DataFrame:
        return fetch_orders()
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(context: dg.AssetExecutionContext) -> pd.DataFrame:
        df = fetch_orders()
        context.add_output_metadata(
            {"dagster/row_count": len(df), "preview": dg.MetadataValue.md(df.head().to_markdown())}
        )
        return df
    ```
    '''
    if model.is_test_module:
        return
    recording_default: bool | None = None
    for d in model.of_kind("asset", "multi_asset"):
        if d.is_stub or _open_kwargs(d) or "metadata" in d.kwargs or _specs_carry(model, d, "metadata"):
            continue
        if "io_manager_key" in d.kwargs or _specs_carry(model, d, "io_manager_key"):
            continue  # a chosen I/O manager often records the metadata itself
        if recording_default is None:
            recording_default = _default_io_manager_records(model)
        if recording_default:
            return  # the default I/O manager is a database one: it records what it stores
        returned = _returned_values(d)
        if returned is None:
            continue
        if _records_metadata([call for _, call in d.calls]) or _hands_context_to_helper(model, d):
            continue
        if any(_helper_records_metadata(model, d, value) for value in returned):
            continue
        results = {_RESULT_CLASSES.get(model.qualname(v.func, d) or "") for v in returned if isinstance(v, ast.Call)}
        results.discard(None)
        verb = "yields" if _is_generator(d) else "returns"
        if results:
            shown = " or ".join(f"`{r}`" for r in sorted(results))
            returns, fix = f"{verb} {shown}", f"pass `metadata={{...}}` to {shown}"
        else:
            returns = f"{verb} data"
            fix = "return `dg.Output(value, metadata={...})` or call `context.add_output_metadata({...})`"
        yield at_def(d, kind=label(d), name=literal_str(d.kwarg("name")) or d.name, returns=returns, fix=fix)


def _default_io_manager_records(model: ModuleModel) -> bool:
    """Whether the project (or, linted alone, the module) binds `"io_manager"` to one of Dagster's
    database I/O managers, directly or through a name imported from another of its modules."""
    project = model.project
    if not isinstance(project, ProjectIndex):
        return any(entry.get("recording") for entry in default_io_manager.extract(model).get("defaults", []))
    for entry, facts in project.facts("default_io_manager"):
        for default in facts.get("defaults", []):
            if default.get("recording"):
                return True
            module, _, name = default.get("imported", "").rpartition(".")
            target = project.module(entry, module) if module else None
            bound = (target.summary.facts.get("default_io_manager") or {}) if target is not None else {}
            if name in bound.get("recording", []):
                return True
    return False


def _open_kwargs(d: Definition) -> bool:
    return d.call is not None and any(kw.arg is None for kw in d.call.keywords)


def _returned_values(d: Definition) -> list[ast.expr] | None:
    """What the body returns or yields (not counting `None`), or None when it hands out no value."""
    values: list[ast.expr] = []
    handed_out = False
    for node in walk_no_nested_functions(d.node.body):
        if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            if isinstance(node.value, ast.Constant) and node.value.value is None:
                continue
            handed_out = True
            values.append(node.value)
        elif isinstance(node, ast.YieldFrom):
            handed_out = True
    return values if handed_out else None


def _is_generator(d: Definition) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in walk_no_nested_functions(d.node.body))


def _records_metadata(calls: list[ast.Call]) -> bool:
    for call in calls:
        callee = _last_name(call.func)
        if callee in _METADATA_METHODS:
            return True
        if any(kw.arg in ("metadata", "output_metadata") for kw in call.keywords):
            return True
        if callee in _EVENT_CLASSES and any(kw.arg is None for kw in call.keywords):
            return True
        if callee == "Output" and len(call.args) >= 3:  # Output(value, output_name, metadata)
            return True
    return False


def _last_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _context_names(model: ModuleModel, d: Definition) -> set[str]:
    names = {d.context_param.arg} if d.context_param is not None else set()
    for param in d.params:
        annotation = param.annotation
        if annotation is not None and (model.qualname(annotation) or "").endswith("Context"):
            names.add(param.arg)
    return names


def _hands_context_to_helper(model: ModuleModel, d: Definition) -> bool:
    """Whether a call in the body receives the context itself (`helper(context)`, `run(context=context)`)."""
    names = _context_names(model, d)
    if not names:
        return False
    for _, call in d.calls:
        arguments = [*call.args, *(kw.value for kw in call.keywords)]
        if any(isinstance(a, ast.Name) and a.id in names for a in arguments):
            return True
    return False


def _helper_records_metadata(model: ModuleModel, d: Definition, value: ast.expr) -> bool:
    """`return build_result(df)` where `build_result` is a function of this module that attaches metadata."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return False
    name = value.func.id
    if name in d.local_names:
        return False
    for func in model.functions:
        if func.name == name and model.parent(func) is model.tree:
            return _records_metadata([n for stmt in func.body for n in ast.walk(stmt) if isinstance(n, ast.Call)])
    return False


def _spec_entries(model: ModuleModel, d: Definition) -> list[tuple[str | None, ast.Call]] | None:
    """The `AssetOut`s and `AssetSpec`s of a multi-asset as written, with their names when known,
    or None when they cannot all be seen."""
    entries: list[tuple[str | None, ast.expr]] = []
    for key in ("outs", "specs"):
        value = d.kwarg(key)
        if value is None:
            continue
        value = _module_value(model, value)
        if isinstance(value, ast.Dict):
            if any(k is None for k in value.keys):
                return None  # `{**other_outs}`
            entries += [(_name(k), v) for k, v in zip(value.keys, value.values)]  # type: ignore[arg-type]
        elif isinstance(value, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in value.elts):
                return None
            entries += [(_spec_key(_module_value(model, e)), e) for e in value.elts]
        elif isinstance(value, ast.DictComp):
            entries.append((None, value.value))
        elif isinstance(value, (ast.ListComp, ast.GeneratorExp)):
            entries.append((None, value.elt))
        else:
            return None
    out: list[tuple[str | None, ast.Call]] = []
    for name, entry in entries:
        entry = _module_value(model, entry)
        if not (isinstance(entry, ast.Call) and _last_name(entry.func) in _SPEC_CLASSES):
            return None  # built by a helper, or a spec rewritten with `.replace_attributes(...)`
        out.append((name, entry))
    return out or None


def _spec_key(spec: ast.expr) -> str | None:
    """The key of an `AssetSpec(...)` call as written."""
    if not isinstance(spec, ast.Call):
        return None
    key = next((kw.value for kw in spec.keywords if kw.arg == "key"), spec.args[0] if spec.args else None)
    return _name(key) if key is not None else None


_SPEC_CLASSES = ("AssetOut", "AssetSpec")


def _module_value(model: ModuleModel, expr: ast.expr) -> ast.expr:
    """The value of a module-level variable, or `expr` itself."""
    if isinstance(expr, ast.Name) and expr.id in model.constants and expr.id not in model.imports:
        return model.constants[expr.id]
    return expr


def _specs_carry(model: ModuleModel, d: Definition, attr: str) -> bool:
    """Whether any out or spec of a multi-asset sets `attr=`, or may (through `**kwargs`, or
    built where this module cannot see)."""
    if d.kind != "multi_asset" or ("outs" not in d.kwargs and "specs" not in d.kwargs):
        return False
    entries = _spec_entries(model, d)
    return entries is None or any(kw.arg in (attr, None) for _, e in entries for kw in e.keywords)


# ----------------------------------------------------------------------------- DAG704

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
# `dg.get_dagster_logger()` returns `dagster.builtin` or a child of it, which Dagster captures;
# other `dagster.*` names are Dagster's own loggers, used on purpose.
_CAPTURED_PREFIX = "dagster"


@rule(
    "DAG704",
    "root-logger-in-asset",
    "C",
    "{kind} `{name}` logs {times}through {logger}, which the Dagster event log does not capture by default; {fix}",
)
def root_logger_in_asset(model: ModuleModel):
    '''Standard-library logger used in an asset, op or asset check body.

    ## What it does
    Reports an `@asset`, `@multi_asset`, `@op`, `@asset_check` or `@observable_source_asset`
    body (helpers defined inside it included) that logs through the `logging` module: the
    root logger (`logging.info(...)`, `logging.getLogger().warning(...)`) or a logger made
    with `logging.getLogger(__name__)` or `logging.getLogger("name")`, whether it is created
    in the body or at module level (`logger = logging.getLogger(__name__)`).

    It reports once per definition and logger, on the first call, and counts the others:
    the fix is one change per logger (use `context.log`, or define the logger with
    `dg.get_dagster_logger()`), and a finding on every line would bury the rest of the report.

    It stays quiet for `context.log`, for `dg.get_dagster_logger()` and loggers named
    `dagster...`, for loggers whose origin it cannot see (imported from another module,
    passed in, built by a helper), for other logging libraries (structlog, loguru), and for
    helpers defined outside the body. Sensors and schedules are not steps of a run and are
    not covered.

    Dagster does capture the loggers listed under `python_logs: managed_python_loggers` in
    the instance's `dagster.yaml`. This cannot be seen from the source: a project that
    routes its loggers that way should disable the rule.

    ## Why is this bad?
    By default Dagster only turns the records of its own loggers into events. Records sent to
    the root logger or to a module's logger reach the process's stderr at best: they have no
    run or step, are missing from the run's event log in the UI, and are lost with the pod or
    container that ran the step.

    ## Example
    ```python
    logger = logging.getLogger(__name__)


    @dg.asset
    def orders():
        rows = fetch()
        logger.info("fetched %d rows", len(rows))
        return rows
    ```

    ## Use instead
    ```python
    logger = dg.get_dagster_logger(__name__)


    @dg.asset
    def orders():
        rows = fetch()
        logger.info("fetched %d rows", len(rows))
        return rows
    ```

    Or use `context.log.info(...)` with a `context: dg.AssetExecutionContext` parameter, or
    add the logger's name to `python_logs: managed_python_loggers` in `dagster.yaml`.
    '''
    for d in compute_bodies(model):
        found: dict[str, tuple[ast.Call, str, str, int]] = {}  # logger key -> first call, shown, fix, count
        for qualname, call in d.calls:
            if isinstance(call.func, ast.Attribute):
                method = call.func.attr
            else:  # `from logging import info`
                method = qualname.rsplit(".", 1)[-1] if qualname and qualname.startswith("logging.") else None
            if method not in _LOG_METHODS:
                continue
            origin = _uncaptured_logger(model, d, call, qualname)
            if origin is None:
                continue
            key, shown, fix = origin
            shown_method = {"warn": "warning", "fatal": "critical"}.get(method, method)
            fix = fix.format(method=shown_method)
            first = found.get(key)
            found[key] = (call, shown, fix, 1) if first is None else (*first[:3], first[3] + 1)
        for call, shown, fix, count in sorted(found.values(), key=lambda f: (f[0].lineno, f[0].col_offset)):
            times = f"{count} times " if count > 1 else ""
            yield Violation(call, kind=label(d), name=d.name, logger=shown, times=times, fix=fix)


_ROOT_FIX = "use `context.log.{method}(...)` or `dg.get_dagster_logger().{method}(...)`"


def _uncaptured_logger(
    model: ModuleModel, d: Definition, call: ast.Call, qualname: str | None
) -> tuple[str, str, str] | None:
    """(key, shown, fix) for a log call through a standard-library logger Dagster does not capture."""
    if qualname is not None and qualname.startswith("logging.") and qualname.count(".") == 1:
        return "root", f"the root logger (`{model.segment(call.func)}(...)`)", _ROOT_FIX
    if qualname is not None and qualname.startswith("logging.root."):
        return "root", "the root logger (`logging.root`)", _ROOT_FIX
    if not isinstance(call.func, ast.Attribute):
        return None
    receiver = call.func.value
    if isinstance(receiver, ast.Call):
        name = _logger_name(model, d, receiver)
        if name is None:
            return None
        if name == "":
            return "root", f"the root logger (`{model.segment(receiver)}`)", _ROOT_FIX
        fix = "use `context.log.{method}(...)` or `dg.get_dagster_logger(" + _name_arg(name) + ").{method}(...)`"
        return name, f"`{model.segment(receiver)}`", fix
    if not isinstance(receiver, ast.Name):
        return None
    variable = receiver.id
    if variable in d.local_names:
        made = _local_logger(d, variable)
        where = "in the body"
    elif variable not in model.imports and variable not in model.toplevel_names - set(model.constants):
        made = model.constants.get(variable)
        where = "at module level"
    else:
        return None
    if not isinstance(made, ast.Call):
        return None
    name = _logger_name(model, d if where == "in the body" else None, made)
    if name is None:
        return None
    shown = f"`{variable}` (`{model.segment(made)}` {where})"
    replacement = "dg.get_dagster_logger()" if name == "" else f"dg.get_dagster_logger({_name_arg(name)})"
    return f"var:{variable}", shown, f"use `context.log.{{method}}(...)`, or define `{variable} = {replacement}`"


def _name_arg(name: str) -> str:
    return name if name == "__name__" else f'"{name}"'


def _logger_name(model: ModuleModel, scope: Definition | None, call: ast.Call) -> str | None:
    """The name of an uncaptured `logging.getLogger(...)` logger ("" for the root logger), or None."""
    if model.qualname(call.func, scope) != "logging.getLogger" or call.keywords or len(call.args) > 1:
        return None
    if not call.args or (isinstance(call.args[0], ast.Constant) and call.args[0].value is None):
        return ""
    arg = call.args[0]
    if isinstance(arg, ast.Name) and arg.id == "__name__":
        return "__name__"
    if isinstance(arg, ast.Name) and arg.id in model.constants and (scope is None or arg.id not in scope.local_names):
        arg = model.constants[arg.id]
    name = literal_str(arg)
    if name is None or name == "root":
        return "" if name == "root" else None
    if name == _CAPTURED_PREFIX or name.startswith(_CAPTURED_PREFIX + "."):
        return None
    return name


def _local_logger(d: Definition, variable: str) -> ast.expr | None:
    """The value of `variable` when it is assigned once in the body, by a plain `variable = ...`."""
    values = []
    for node in d.body_nodes:
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == variable for t in node.targets):
                values.append(node.value)
            elif any(isinstance(n, ast.Name) and n.id == variable for t in node.targets for n in ast.walk(t)):
                return None  # unpacked from a tuple
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            if isinstance(node.target, ast.Name) and node.target.id == variable:
                values.append(node.value)
        elif isinstance(node, _BINDERS) and _binds(node, variable):
            return None
    if len(values) != 1 or variable in {a.arg for a in d.params}:
        return None
    return values[0]


_BINDERS = (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.comprehension, ast.ExceptHandler, ast.arg)


def _binds(node: ast.AST, variable: str) -> bool:
    if isinstance(node, ast.arg):
        return node.arg == variable
    if isinstance(node, ast.ExceptHandler):
        return node.name == variable
    targets: list[ast.AST] = []
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        targets.append(node.target)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets += [item.optional_vars for item in node.items if item.optional_vars is not None]
    return any(isinstance(n, ast.Name) and n.id == variable for t in targets for n in ast.walk(t))


# ----------------------------------------------------------------------------- DAG705, DAG706

# Calls that set the attribute on the assets of this module after they are defined: method or
# function name -> the keyword that sets it (None: a callback that may set anything).
_REWRITES = {
    "group_name": {
        "load_assets_from_current_module": "group_name",
        "replace_attributes": "group_name",
        "with_attributes": "group_names_by_key",
        "map_asset_specs": None,
        "map_resolved_asset_specs": None,
    },
    "owners": {
        "replace_attributes": "owners",
        "merge_attributes": "owners",
        "map_asset_specs": None,
        "map_resolved_asset_specs": None,
    },
}


def _attribute_missing(model: ModuleModel, d: Definition, attr: str) -> tuple[str, str, str] | None:
    """(problem, what lands in the default group, where to add it) when `attr=` is missing from
    an asset definition, or None when it is set (or may be)."""
    if d.nested or _open_kwargs(d) or attr in d.kwargs:
        return None
    if not _is_multi(d):
        return f"has no `{attr}=`", "it lands", ""
    entries = _spec_entries(model, d)
    if entries is None:
        return None
    missing = [(name, e) for name, e in entries if not any(kw.arg in (attr, None) for kw in e.keywords)]
    if not missing:
        return None
    classes = " or ".join(f"`{c}`" for c in sorted({_last_name(e.func) for _, e in missing}))
    where = "on the decorator or on its" if attr == "group_name" else "on its"
    target = (" to the decorator or" if attr == "group_name" else "") + f" to each {classes}"
    if any(name is None for name, _ in missing):
        return f"has no `{attr}=` {where} {classes}s", "its assets land", target
    names = [f"`{name}`" for name, _ in missing]
    lands = f"{names[0]} lands" if len(names) == 1 else f"{', '.join(names)} land"
    return f"has no `{attr}=` {where} {classes} {', '.join(names)}", lands, target


def _is_multi(d: Definition) -> bool:
    return d.kind == "multi_asset" or d.decorator == "dagster.graph_multi_asset"


def _rewritten(model: ModuleModel, attr: str) -> bool:
    """Whether the module sets `attr` on its assets after they are defined."""
    rewrites = _REWRITES[attr]
    for call in model.all_calls:
        name = _last_name(call.func)
        if name not in rewrites:
            continue
        keyword = rewrites[name]
        if keyword is None or any(kw.arg in (keyword, None) for kw in call.keywords):
            return True
    return False


@rule(
    "DAG705",
    "asset-without-group",
    "C",
    "{kind} `{name}` {problem}, so {lands} in the `default` group; {fix}",
    mode="S,P",
    default=False,
)
def asset_without_group(model: ModuleModel):
    '''Asset without `group_name`: it lands in the `default` group.

    ## What it does
    Reports an `@asset`, `@graph_asset` or `@observable_source_asset` without `group_name=`,
    and a `@multi_asset` or `@graph_multi_asset` with `group_name=` neither on the decorator
    nor on every `dg.AssetOut` / `dg.AssetSpec` of its `outs=` / `specs=`.

    It stays quiet for decorators fed from `**kwargs`, for outs or specs it cannot see
    (built elsewhere and passed as a variable), for assets built inside factory functions,
    in test modules, in a module that groups its assets itself
    (`load_assets_from_current_module(group_name=...)`, `.with_attributes(...)`,
    `dg.map_asset_specs(...)`, `spec.replace_attributes(...)`), and in a module that another
    module of the project loads with a group name
    (`dg.load_assets_from_modules([orders], group_name="sales")`, or
    `load_assets_from_package_module(...)` / `load_assets_from_package_name(...)` of a
    package containing it). Integration assets (`@dbt_assets`, ...) take their group from
    the integration and are not covered.

    Off by default. A project that groups its assets with `post_processing` in a
    components `defs.yaml` should leave it off: that cannot be seen from Python source.

    ## Why is this bad?
    Groups are how the asset graph and the catalog are organised, and how jobs and
    automation select assets (`dg.AssetSelection.groups("sales")`). An asset without a group
    lands in `default` with everything else that was forgotten: it is hard to find, and a
    selection by group silently leaves it out.

    ## Example
    ```python
    @dg.asset
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(group_name="sales")
    def orders(): ...
    ```
    '''
    yield from _without_attribute(model, "group_name", 'pass `group_name="..."`')


@rule(
    "DAG706",
    "asset-without-owners",
    "C",
    "{kind} `{name}` {problem}, so nobody is named to ask about it or to alert; {fix}",
    default=False,
)
def asset_without_owners(model: ModuleModel):
    '''Asset without `owners`: nobody is named as responsible for it.

    ## What it does
    Reports an `@asset` or `@graph_asset` without `owners=`, and a `@multi_asset` or
    `@graph_multi_asset` with an `dg.AssetOut` / `dg.AssetSpec` in its `outs=` / `specs=`
    without `owners=` (Dagster takes owners per asset there, not on the decorator).

    It stays quiet for decorators fed from `**kwargs`, for outs or specs it cannot see
    (built elsewhere and passed as a variable), for assets built inside factory functions,
    in test modules, and in a module that sets owners after the fact (`.with_attributes(...)`,
    `dg.map_asset_specs(...)`, `spec.replace_attributes(...)` / `merge_attributes(...)`).
    Integration assets (`@dbt_assets`, ...) and `@observable_source_asset` (which takes no
    `owners=`) are not covered.

    Off by default, and per file: a project that assigns owners elsewhere (in another
    module, or with `post_processing` in a components `defs.yaml`) should leave it off.

    ## Why is this bad?
    Owners are shown in the catalog, can be searched and filtered on, and are who alerts and
    freshness failures are routed to. Without them, a failing asset is everybody's problem,
    so nobody's.

    ## Example
    ```python
    @dg.asset(group_name="sales")
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(group_name="sales", owners=["team:sales-analytics", "ana@example.com"])
    def orders(): ...
    ```
    '''
    yield from _without_attribute(model, "owners", 'pass `owners=["team:...", "someone@example.com"]`')


def _grouped_where_loaded(model: ModuleModel) -> bool:
    """Whether a module of the project loads this one's assets with a group name
    (`dg.load_assets_from_modules([this], group_name=...)`, or a package containing it)."""
    project = model.project
    if not isinstance(project, ProjectIndex):
        return False
    me = project.entry_of(model)
    if me is None:
        return False
    for entry, loads in project.facts("asset_groups"):
        for load in loads:
            for module in load["modules"]:
                if load["package"] and _in_package(entry.path, module, me.path):
                    return True
                if not load["package"] and project.module(entry, module) is me:
                    return True
    return False


def _in_package(importer: Path, package: str, path: Path) -> bool:
    """Whether `path` is a module of `package` as `importer` names it (`shop.reporting`, `.reporting`).
    Package directories are matched by their path: an empty `__init__.py` is not in the index."""
    if package.startswith("."):
        level = len(package) - len(package.lstrip("."))
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
        return base.joinpath(*[p for p in package[level:].split(".") if p]) in path.parents
    parts = tuple(package.split("."))
    return any(parent.parts[-len(parts):] == parts for parent in path.parents)


def _without_attribute(model: ModuleModel, attr: str, fix: str):
    if model.is_test_module or _rewritten(model, attr):
        return
    if attr == "group_name" and _grouped_where_loaded(model):
        return
    kinds = ("asset", "multi_asset", "graph_asset") + (("observable_source_asset",) if attr == "group_name" else ())
    for d in model.of_kind(*kinds):
        missing = _attribute_missing(model, d, attr)
        if missing is None:
            continue
        problem, lands, target = missing
        name = literal_str(d.kwarg("name")) or d.name
        yield at_def(d, kind=label(d), name=name, problem=problem, fix=fix + target, lands=lands)
