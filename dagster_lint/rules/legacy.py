"""DAG805, DAG806, DAG808: code written against Dagster's older APIs (repositories, function-style
resources and config, op-based jobs) that its current APIs replace."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from dagster_lint.knowledge import (
    PERSISTENT_WRITE_CALLS,
    PERSISTENT_WRITE_METHODS,
    RESOURCE_WRITE_PREFIXES,
    SQL_EXECUTE_METHODS,
    WRITING_SQL,
)
from dagster_lint.model import Definition, ModuleModel, is_resource_annotation, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, is_none, label


def _dagster_prefix(model: ModuleModel) -> str:
    """How the module spells a Dagster export: `dg.` after `import dagster as dg`, else bare."""
    aliases = sorted(local for local, target in model.imports.items() if target == "dagster")
    if not aliases:
        return ""
    return f"{min(aliases, key=lambda a: (a == 'dagster', a))}."  # `dg` over `dagster`


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def _names(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ----------------------------------------------------------------------------- DAG805

# Where each kind of definition goes in `Definitions(...)`.
_DEFINITIONS_ARGUMENT = {
    "job": "jobs",
    "schedule": "schedules",
    "sensor": "sensors",
    "asset": "assets",
    "multi_asset": "assets",
    "graph_asset": "assets",
    "observable_source_asset": "assets",
    "integration_assets": "assets",
    "asset_check": "asset_checks",
}
# Module-level calls whose result goes in that argument.
_BUILDERS_ARGUMENT = {
    "dagster.define_asset_job": "jobs",
    "dagster.JobDefinition": "jobs",
    "dagster.ScheduleDefinition": "schedules",
    "dagster.build_schedule_from_partitioned_job": "schedules",
    "dagster.SensorDefinition": "sensors",
    "dagster.AssetSensorDefinition": "sensors",
    "dagster.AssetSpec": "assets",
    "dagster.SourceAsset": "assets",
}
_ARGUMENT_ORDER = ("assets", "asset_checks", "jobs", "schedules", "sensors")


@rule(
    "DAG805",
    "legacy-repository",
    "R",
    "`@repository` `{name}` is the legacy way to define a code location; Dagster loads a `Definitions` "
    "object instead: write {replacement}",
)
def legacy_repository(model: ModuleModel):
    """A code location defined with `@repository` instead of `Definitions`.

    ## What it does
    Reports each function decorated with Dagster's `@repository` (`@dg.repository`,
    `@repository(...)`), on its `def` line. When the function returns a literal list of
    definitions this module defines, the message spells out the `Definitions(...)` call.

    ## Why is this bad?
    `@repository` predates `Definitions`. A repository does not bind resources to assets,
    loggers and executors the way `Definitions` does, the docs and the `dg` command line
    describe code locations as `Definitions`, and newer features (components, `defs` folders,
    `Definitions.merge`) build on it.

    ## Example
    ```python
    @dg.repository
    def retention_repository():
        return [process_retention, retention_schedule]
    ```

    ## Use instead
    ```python
    defs = dg.Definitions(jobs=[process_retention], schedules=[retention_schedule])
    ```
    """
    prefix = _dagster_prefix(model)
    for d in model.of_kind("repository"):
        replacement = _definitions_call(model, d, prefix)
        if replacement is None:
            replacement = (
                f"`defs = {prefix}Definitions(assets=[...], jobs=[...], schedules=[...], sensors=[...])` "
                "with the definitions it returns"
            )
        yield at_def(d, name=d.name, replacement=replacement)


def _definitions_call(model: ModuleModel, d: Definition, prefix: str) -> str | None:
    returns = [s for s in d.node.body if isinstance(s, ast.Return)]
    if len(returns) != 1 or not isinstance(returns[0].value, (ast.List, ast.Tuple)):
        return None
    kinds = {x.name: x.kind for x in model.definitions if not x.nested}
    by_argument: dict[str, list[str]] = {}
    for element in returns[0].value.elts:
        if not isinstance(element, ast.Name):
            return None
        argument = _DEFINITIONS_ARGUMENT.get(kinds.get(element.id, ""))
        if argument is None:
            argument = _built_by(model, element.id)
        if argument is None:
            return None
        by_argument.setdefault(argument, []).append(element.id)
    if not by_argument or sum(map(len, by_argument.values())) > 8:
        return None
    arguments = ", ".join(f"{a}=[{', '.join(by_argument[a])}]" for a in _ARGUMENT_ORDER if a in by_argument)
    return f"`defs = {prefix}Definitions({arguments})`"


def _built_by(model: ModuleModel, name: str) -> str | None:
    value = model.constants.get(name)
    if not isinstance(value, ast.Call):
        return None
    if isinstance(value.func, ast.Attribute) and value.func.attr == "to_job":
        return "jobs"
    return _BUILDERS_ARGUMENT.get(model.qualname(value.func) or "")


# ----------------------------------------------------------------------------- DAG806

_RESOURCE_DECORATORS = {"dagster.resource": "ConfigurableResource", "dagster.io_manager": "ConfigurableIOManager"}


@rule(
    "DAG806",
    "legacy-resource",
    "R",
    "{kind} `{name}` uses {legacy}; {instead}",
)
def legacy_resource(model: ModuleModel):
    """Function-style resources and untyped config instead of `ConfigurableResource` and `Config`.

    ## What it does
    Reports, once per definition on its `def` line:

    - a resource or IO manager written as a function with `@resource` / `@io_manager`;
    - an asset, op, check, sensor or schedule that declares `config_schema=`, reads
      `context.op_config`, or asks for its resources with `required_resource_keys=`.

    The message lists what the definition uses (config keys and resource keys by name) and what
    replaces each. `config_schema=None` and `required_resource_keys=None` are not reported.

    ## Why is this bad?
    Untyped config (`config_schema={"limit": int}` read as `context.op_config["limit"]`) and
    resources fetched by key (`context.resources.warehouse`) are invisible to type checkers and
    editors, fail only at run time on a typo, and need a `run_config` dictionary in every test.
    `dg.Config` classes and `dg.ConfigurableResource` parameters are checked when the code
    location loads, show their fields in the launchpad and are plain Python objects in tests.

    ## Example
    ```python
    @dg.resource(config_schema={"conn_id": str})
    def warehouse_resource(init_context):
        return Warehouse(init_context.resource_config["conn_id"])


    @dg.op(config_schema={"limit": int}, required_resource_keys={"warehouse"})
    def fetch(context):
        return context.resources.warehouse.query(limit=context.op_config["limit"])
    ```

    ## Use instead
    ```python
    class WarehouseResource(dg.ConfigurableResource):
        conn_id: str

        def query(self, limit: int): ...


    class FetchConfig(dg.Config):
        limit: int


    @dg.op
    def fetch(config: FetchConfig, warehouse: WarehouseResource):
        return warehouse.query(limit=config.limit)
    ```
    """
    prefix = _dagster_prefix(model)
    for d in model.definitions:
        if d.decorator in _RESOURCE_DECORATORS:
            if not _adapts_pythonic_resource(d):
                yield _resource_function(d, prefix)
            continue
        used: list[str] = []
        instead: list[str] = []
        config = d.kwarg("config_schema")
        static_config = config is not None and _static_config(d, config)
        reads = _op_config_reads(d) if reports_op_config(d) else ""
        if static_config:
            used.append("`config_schema=`")
        if reads:
            used.append(f"`{reads}`")
        if static_config or reads:
            fields = _config_keys(config) if static_config else []
            with_fields = f" with fields {_names(fields)}" if fields else ""
            config_class = f"{_camel(d.name)}Config"
            instead.append(
                f"declare `class {config_class}({prefix}Config)`{with_fields} and take it as a "
                f"`config: {config_class}` parameter"
            )
        keys = d.kwarg("required_resource_keys")
        # Keys computed at definition time (a factory's argument) cannot be parameter names.
        names = _literal_strings(keys) if keys is not None else []
        if names:
            quoted = ", ".join(f'"{n}"' for n in names)
            used.append(f"`required_resource_keys={{{quoted}}}`")
            # The example parameter: a resource of the data, not the step launcher or IO manager
            # that some legacy setups also list here.
            example = next((n for n in names if not n.endswith(("step_launcher", "io_manager"))), names[0])
            annotation = _resource_annotation(d, example) or f"{_camel(example)}Resource"
            instead.append(
                "take each resource as a parameter typed with its `ConfigurableResource` class "
                f"(`{example}: {annotation}`) instead of reading `context.resources`"
            )
        if used:
            listed = ", ".join(used[:-1]) + " and " + used[-1] if len(used) > 1 else used[0]
            yield at_def(d, kind=label(d), name=d.name, legacy=listed, instead="; ".join(instead))


# Dagster's config types: a schema built from them is spelled out in the code.
_CONFIG_TYPES = frozenset(
    f"dagster.{name}"
    for name in (
        "Field", "Shape", "Permissive", "Selector", "Array", "Map", "Noneable", "Enum", "EnumValue",
        "ScalarUnion", "StringSource", "IntSource", "BoolSource", "String", "Int", "Float", "Bool", "Any",
    )
)
_BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "list", "dict"})


def _static_config(d: Definition, config: ast.expr) -> bool:
    """Whether a `config_schema=` value is a schema written out in the code (a dict, Dagster's config
    types, a module constant holding one), not computed from a `Config` class or a factory argument."""
    model = d.module
    if is_none(config):
        return False
    if isinstance(config, (ast.Dict, ast.List)):
        return True
    if isinstance(config, ast.Call):
        return model.qualname(config.func) in _CONFIG_TYPES
    if isinstance(config, ast.Attribute):
        return model.qualname(config) in _CONFIG_TYPES
    if isinstance(config, ast.Name):
        if config.id in model.constants and config.id not in model.imports:
            return _static_config(d, model.constants[config.id])
        if config.id in model.imports:
            # An imported constant (`BIGQUERY_LOAD_CONFIG`) or a Dagster type.
            name = model.imports[config.id]
            return name in _CONFIG_TYPES or name.split(".")[0] != "dagster"
        return config.id in _BUILTIN_TYPES and not d.nested
    return False


def reports_op_config(d: Definition) -> bool:
    """Whether DAG806 reports this definition's `context.op_config` (DAG800 leaves it alone then).

    A factory that computes its schema (from a `Config` class it is given) has to read the
    config that way; only a schema spelled out in the code has a `Config` class to become.
    """
    config = d.kwarg("config_schema")
    if config is None:
        return not d.nested
    return _static_config(d, config)


def _adapts_pythonic_resource(d: Definition) -> bool:
    """`@resource(config_schema=S3Resource.to_config_schema())` returning
    `S3Resource.from_resource_context(context)`: a compatibility wrapper of a class that exists."""
    config = d.kwarg("config_schema")
    func = config.func if isinstance(config, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "to_config_schema":
        return True
    return any(
        isinstance(call.func, ast.Attribute) and call.func.attr in ("from_resource_context", "from_resource_context_cm")
        for _, call in d.calls
    )


def _resource_annotation(d: Definition, key: str) -> str | None:
    """`HubResource` from `hub: HubResource = context.resources.hub` in the body."""
    for node in d.body_nodes:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == key
            and isinstance(node.value.value, ast.Attribute)
            and node.value.value.attr == "resources"
        ):
            text = d.module.segment(node.annotation)
            if text and "\n" not in text and len(text) <= 40:
                return text
    return None


def _resource_function(d: Definition, prefix: str) -> Violation:
    base = _RESOURCE_DECORATORS[d.decorator]
    shown = "io_manager" if base == "ConfigurableIOManager" else "resource"
    config = d.kwarg("config_schema")
    fields = _config_keys(config) if config is not None else []
    class_name = _camel(d.name)
    if base == "ConfigurableIOManager" and not class_name.endswith("IOManager"):
        class_name = re.sub(r"IoManager$", "IOManager", class_name)
        if not class_name.endswith("IOManager"):
            class_name += "IOManager"
    elif base == "ConfigurableResource" and not class_name.endswith("Resource"):
        class_name += "Resource"
    parts = []
    if fields:
        parts.append(f"typed fields {_names(fields)} for its `config_schema`")
    keys = d.kwarg("required_resource_keys")
    needed = _literal_strings(keys) if keys is not None else []
    if needed:
        parts.append(f"fields typed with the resources it needs ({_names(needed)})")
    with_fields = f" with {' and '.join(parts)}" if parts else ""
    what = "IO manager" if shown == "io_manager" else "resource"
    built = _built_class(d)
    if built is not None:
        instead = f"make `{built}` a `{prefix}{base}` subclass{with_fields}"
    else:
        instead = f"write `class {class_name}({prefix}{base})`{with_fields}"
    return at_def(
        d,
        kind=f"`@{shown}`",
        name=d.name,
        legacy=f"the function-style {what} API",
        instead=f"{instead}, and pass an instance to `Definitions(resources=...)`",
    )


def _built_class(d: Definition) -> str | None:
    """The class of this module that a resource function returns or yields an instance of."""
    assigned: dict[str, ast.expr] = {}
    for node in d.body_nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value  # `conn = Client(...); yield conn`
    built = set()
    for node in d.body_nodes:
        if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            value = assigned.get(node.value.id, node.value) if isinstance(node.value, ast.Name) else node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in d.module.classes:
                built.add(value.func.id)
            else:
                return None
    return built.pop() if len(built) == 1 else None


def _op_config_reads(d: Definition) -> str:
    """`context.op_config` when the body reads it from the definition's context parameter."""
    context = d.context_param
    if context is None:
        return ""
    for node in d.body_nodes:
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "op_config"
            and isinstance(node.value, ast.Name)
            and node.value.id == context.arg
        ):
            return f"{context.arg}.op_config"
    return ""


def _config_keys(config: ast.expr) -> list[str]:
    if isinstance(config, ast.Dict):
        return [k for k in (literal_str(key) for key in config.keys) if k]
    return []


def _literal_strings(node: ast.expr) -> list[str]:
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        values = [literal_str(e) for e in node.elts]
        if all(values):
            return [v for v in values if v]
    return []


# ----------------------------------------------------------------------------- DAG808

# Methods of an op that return the same op under another name or with other settings.
_OP_WRAPPERS = frozenset({"alias", "tag", "with_hooks", "with_retry_policy"})


@rule(
    "DAG808",
    "op-based-job",
    "R",
    "{what} is assembled from ops that write persistent data ({evidence}); declare what they write as "
    "software-defined assets (`@{prefix}asset`) and run them with `{prefix}define_asset_job`, so Dagster tracks "
    "their lineage, freshness and history",
    default=False,
)
def op_based_job(model: ModuleModel):
    """An op-based job whose ops write data that could be software-defined assets.

    ## What it does
    Reports, once per job, a `@job` (or a `@graph` that the module turns into a job with
    `.to_job(...)`) that runs ops of this module which write persistent data: they call a
    dataset writer such as `to_sql`, `to_parquet`, `put_object`, `upload_file`,
    `write_deltalake`, call a `put...` / `upload...` / `write...` / `insert...` / `save...`
    method of a resource (`context.resources.s3.put_data(...)`), run an `INSERT` /
    `CREATE TABLE` / `MERGE` / `COPY` statement, or send their output to an IO manager with
    `Out(io_manager_key=...)`. Plain file writes (`open(...,
    "w")`, `json.dump`) are not counted: ops write configuration, state and logs that way too.
    Ops imported from other modules are not looked into, and jobs whose ops only read, notify,
    delete or manage infrastructure stay quiet.
    Off by default: projects opt in during a migration to assets.

    ## Why is this bad?
    An op job says what runs, not what it produces. The tables and files the ops write are
    invisible to Dagster: no lineage between them, no record of when each was last updated, no
    partitions, freshness policies or asset checks, and no way to rebuild one of them without
    re-running the whole job. Declared as assets, each dataset has its own history and can be
    materialized, scheduled and checked on its own.

    ## Example
    ```python
    @dg.op
    def load_orders(context):
        fetch_orders().to_sql("orders", engine)


    @dg.job
    def nightly():
        load_orders()
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders() -> None:
        fetch_orders().to_sql("orders", engine)


    nightly = dg.define_asset_job("nightly", selection=[orders])
    ```
    """
    ops = {d.name: d for d in model.of_kind("op") if not d.nested}
    if not ops:
        return
    prefix = _dagster_prefix(model)
    graphs = {d.name: d for d in model.of_kind("graph") if not d.nested}
    to_job = {
        call.func.value.id  # type: ignore[attr-defined]
        for call in model.all_calls
        if isinstance(call.func, ast.Attribute)
        and call.func.attr == "to_job"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in graphs
    }
    writes: dict[str, str | None] = {}
    for d in model.definitions:
        if d.nested or not (d.kind == "job" or (d.kind == "graph" and d.name in to_job)):
            continue
        evidence = []
        for op_name in _ops_run(d, ops, graphs, set()):
            if op_name not in writes:
                writes[op_name] = _persistent_write(ops[op_name])
            if writes[op_name]:
                evidence.append(f"`{op_name}` {writes[op_name]}")
        if evidence:
            shown = "; ".join(evidence[:3]) + (f"; and {len(evidence) - 3} more" if len(evidence) > 3 else "")
            what = f"job `{d.name}`" if d.kind == "job" else f"graph `{d.name}` (made a job with `.to_job`)"
            yield at_def(d, what=what, evidence=shown, prefix=prefix)


def _ops_run(d: Definition, ops: dict[str, Definition], graphs: dict[str, Definition], seen: set[str]) -> list[str]:
    """The module's ops a job or graph body invokes, through the graphs it invokes, in order."""
    seen.add(d.name)
    found: list[str] = []
    for node in d.body_nodes:
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) or node.id in d.local_names:
            continue
        if node.id in ops and node.id not in found and _invoked(d, node):
            found.append(node.id)
        elif node.id in graphs and node.id not in seen:
            found.extend(o for o in _ops_run(graphs[node.id], ops, graphs, seen) if o not in found)
    return found


def _invoked(d: Definition, name: ast.Name) -> bool:
    """`op(...)`, `op.alias("x")(...)`, or `.map(op)` over a dynamic output."""
    parent = d.module.parent(name)
    if isinstance(parent, ast.Call):
        return parent.func is name or (isinstance(parent.func, ast.Attribute) and parent.func.attr == "map")
    return isinstance(parent, ast.Attribute) and parent.attr in _OP_WRAPPERS


def _persistent_write(op: Definition) -> str | None:
    """How an op writes persistent data (`writes with `to_sql(...)``), or None."""
    for output in _outs(op):
        key = next((kw.value for kw in output.keywords if kw.arg == "io_manager_key"), None)
        if literal_str(key) and literal_str(key) != "io_manager":
            return f"sends its output to IO manager `{literal_str(key)}`"
    strings = _local_strings(op)
    for qualname, call in op.calls:
        if qualname in PERSISTENT_WRITE_CALLS:
            return f"writes with `{qualname}(...)`"
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr in PERSISTENT_WRITE_METHODS and (call.args or call.keywords):
            return f"writes with `{func.attr}(...)`"
        resource = _resource_of(op, func.value)
        if resource and func.attr.startswith(RESOURCE_WRITE_PREFIXES) and (call.args or call.keywords):
            return f"writes through resource `{resource}` (`{func.attr}(...)`)"
        if func.attr in _SQL_METHODS and call.args:
            statement = _sql_text(call.args[0], strings)
            if statement and re.match(WRITING_SQL, statement, re.IGNORECASE):
                return f"runs `{statement.split()[0].upper()} ...`"
    return None


# Methods that run one SQL statement: DB-API cursors, SQLAlchemy, and the usual resource wrappers.
_SQL_METHODS = SQL_EXECUTE_METHODS | {"executemany", "execute_query", "execute_sql", "run_sql"}


def _resource_of(op: Definition, receiver: ast.expr) -> str | None:
    """`warehouse` for `context.resources.warehouse`, or for a parameter typed as a resource."""
    if (
        isinstance(receiver, ast.Attribute)
        and isinstance(receiver.value, ast.Attribute)
        and receiver.value.attr == "resources"
        and isinstance(receiver.value.value, ast.Name)
        and op.context_param is not None
        and receiver.value.value.id == op.context_param.arg
    ):
        return receiver.attr
    if isinstance(receiver, ast.Name):
        param = next((p for p in op.params if p.arg == receiver.id), None)
        if param is not None and is_resource_annotation(op.module, param.annotation):
            return receiver.id
    return None


def _local_strings(op: Definition) -> dict[str, ast.expr]:
    """Names the op body assigns exactly once, to a string or f-string (`sql = f"INSERT ..."`)."""
    values: dict[str, ast.expr] = {}
    counts: dict[str, int] = {}
    for node in op.body_nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, (ast.Constant, ast.JoinedStr)):
                values[node.targets[0].id] = node.value
    return {name: value for name, value in values.items() if counts.get(name) == 1}


def _outs(op: Definition) -> Iterator[ast.Call]:
    out = op.kwarg("out")
    values = out.values if isinstance(out, ast.Dict) else [out] if out is not None else []
    for value in values:
        if isinstance(value, ast.Call) and op.module.qualname(value.func) == "dagster.Out":
            yield value


def _sql_text(node: ast.expr, strings: dict[str, ast.expr]) -> str | None:
    if isinstance(node, ast.Name) and node.id in strings:
        node = strings[node.id]
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Call) and node.args:  # sqlalchemy.text("INSERT ...")
        return literal_str(node.args[0])
    return literal_str(node)
