"""DAG6xx: performance and I/O."""

from __future__ import annotations

import ast
import builtins
import re
import string
from typing import Iterator

from dagster_lint.knowledge import (
    CLIENT_CONSTRUCTORS,
    PER_RECORD_WRITE_METHODS,
    ROW_ITERATION_METHODS,
    ROW_LOOP_WRITE_METHODS,
    SLEEP_CALLS,
    SQL_EXECUTE_METHODS,
    STARTING_FIRST_WORDS,
    STARTING_WORDS,
)
from dagster_lint.facts.resources import providers
from dagster_lint.model import CONTEXT_NAMES, Definition, ModuleModel, call_kwargs, literal_str, unquote_annotation
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, compute_bodies, in_script_block, is_resource_annotation, label

# Reading these hands the function's locals to code the linter cannot follow.
_DYNAMIC_LOCALS = frozenset({"locals", "vars", "eval", "exec"})


def _ins(ins: ast.expr | None) -> dict[str, ast.expr]:
    """The literal entries of `ins={...}`, by input name."""
    if not isinstance(ins, ast.Dict):
        return {}
    return {name: value for key, value in zip(ins.keys, ins.values) if (name := literal_str(key))}


def _is_nothing_in(model: ModuleModel, asset_in: ast.expr) -> bool:
    """`AssetIn(dagster_type=Nothing)`: Dagster loads nothing for it."""
    return isinstance(asset_in, ast.Call) and any(
        kw.arg == "dagster_type" and model.qualname(kw.value) == "dagster.Nothing" for kw in asset_in.keywords
    )


def _nothing_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and annotation.value in (None, "None"):
        return True
    return annotation is not None and model.qualname(annotation) == "dagster.Nothing"


def _not_an_input(model: ModuleModel, annotation: ast.expr | None) -> bool:
    """A resource or config annotation: Dagster injects it, or it belongs to another rule."""
    if is_resource_annotation(model, annotation):
        return True
    annotation = unquote_annotation(annotation)
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if isinstance(annotation, ast.Name) and annotation.id in model.classes:
        return model.classes[annotation.id].kind is not None
    name = model.qualname(annotation) if annotation is not None else None
    if name is None:
        return False
    # A resource or config class from the project's own package (`from my_project.resources
    # import WarehouseResource`) cannot be resolved from this module: trust its name.
    return name.rsplit(".", 1)[-1].endswith(("Resource", "IOManager", "Config"))


def upstream_parameters(model: ModuleModel, d: Definition) -> list[ast.arg]:
    """Parameters through which Dagster loads an upstream asset's value.

    Dagster maps only positional-or-keyword parameters to inputs, after `context`, `config`
    and the resources.
    """
    ctx = d.context_param
    ins = _ins(d.kwarg("ins"))
    return [
        p
        for p in d.node.args.args
        if p is not ctx
        and p.arg != "config"
        and not (p.arg in ins and _is_nothing_in(model, ins[p.arg]))
        and not _nothing_annotation(model, p.annotation)
        and not _not_an_input(model, p.annotation)
    ]


def _dep_text(model: ModuleModel, param: str, asset_in: ast.expr | None) -> str:
    """What to write in `deps=[...]` for the asset behind `param`."""

    def text(node: ast.expr) -> str:
        return model.segment(node) or ast.unparse(node)

    if isinstance(asset_in, ast.Call):
        kwargs = {kw.arg: kw.value for kw in asset_in.keywords}
        if "key" in kwargs:
            return text(kwargs["key"])
        prefix = kwargs.get("key_prefix")
        if prefix is not None:
            parts = [text(e) for e in prefix.elts] if isinstance(prefix, (ast.List, ast.Tuple)) else [text(prefix)]
            parts.append(f'"{param}"')
            return f"dg.AssetKey([{', '.join(parts)}])"
    return f'"{param}"'


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPE_TYPES = frozenset(_SCOPES)


def _bound_in(scope: ast.AST) -> set[str]:
    """Names a nested function, lambda or comprehension binds itself (hiding the outer ones)."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        bound = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        bound |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        if isinstance(scope, ast.Lambda):
            return bound
        declared: set[str] = set()
        for node in _walk_scope(scope.body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
            elif isinstance(node, (ast.Nonlocal, ast.Global)):
                declared.update(node.names)
        return bound - declared
    bound = set()
    for generator in scope.generators:
        bound |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
    return bound


def _walk_scope(body: list[ast.stmt]):
    """The nodes of one function scope, without entering nested scopes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _SCOPES + (ast.ClassDef,)))


def _reads(d: Definition) -> set[str]:
    """Names the body reads that refer to the function's own parameters or locals.

    A read inside a nested function, lambda or comprehension counts unless that scope binds
    the name itself (`lambda raw_orders: ...`).
    """
    parents = d.module.parents
    bound: dict[int, set[str]] = {}  # what each nested scope binds, asked once
    reads: set[str] = set()
    for n in d.body_nodes:
        if type(n) is not ast.Name or type(n.ctx) is not ast.Load or n.id in reads:  # type: ignore[attr-defined]
            continue
        if not _hidden(n, d.node, parents, bound):  # type: ignore[arg-type]
            reads.add(n.id)  # type: ignore[attr-defined]
    return reads


def _hidden(name: ast.Name, function: ast.AST, parents: dict[int, ast.AST], bound: dict[int, set[str]]) -> bool:
    """A nested scope between the read and the function binds the name itself."""
    grandchild: ast.AST | None = None
    child: ast.AST = name
    scope = parents.get(id(name))
    while scope is not None and scope is not function:
        if type(scope) in _SCOPE_TYPES and _inside(scope, child, grandchild):
            names = bound.get(id(scope))
            if names is None:
                names = bound[id(scope)] = _bound_in(scope)
            if name.id in names:
                return True
        grandchild, child = child, scope
        scope = parents.get(id(scope))
    return False


def _inside(scope: ast.AST, child: ast.AST, grandchild: ast.AST | None) -> bool:
    """`child` of `scope` is evaluated in the scope's own namespace: a function's body, not its
    decorators, defaults and annotations; a lambda's body; all of a comprehension but its
    first iterable."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return any(child is stmt for stmt in scope.body)
    if isinstance(scope, ast.Lambda):
        return child is scope.body
    first = scope.generators[0]  # type: ignore[attr-defined]
    return not (child is first and grandchild is first.iter)


@rule(
    "DAG601",
    "upstream-loaded-but-unused",
    "W",
    "{kind} `{name}` loads upstream `{param}` through the IO manager but never uses it; if only the "
    "order matters, drop the parameter and declare `deps=[{dep}]`",
)
def upstream_loaded_but_unused(model: ModuleModel):
    """Upstream asset passed as a parameter and never used.

    ## What it does
    Reports a parameter of an `@asset` or `@multi_asset` that receives an upstream asset and
    is not read anywhere in the body: nested functions, lambdas, comprehensions and f-strings
    count as reads; `del orders` does not, since the value was loaded all the same.

    Parameters that load nothing are not reported: `context`, `config`, resources (annotated
    with a resource class or `dg.ResourceParam[...]`, or named after a resource key the
    module binds in `Definitions(resources=...)`, `materialize(..., resources=...)` and the
    like, whatever the annotation), inputs typed `Nothing`
    (`ins={"x": dg.AssetIn(dagster_type=dg.Nothing)}`, `x: None`) and keyword-only
    parameters. A parameter annotated with a `Config` class under another name than
    `config` is left alone too (Dagster warns about it itself). Stub bodies, bodies that
    call `locals()`, `vars()`, `eval()` or `exec()`, and test modules (whose throwaway
    assets are wired up to test Dagster itself) are ignored.

    ## Why is this bad?
    Dagster loads the whole upstream value through its IO manager before the body runs: a
    table read from the warehouse or a file downloaded from object storage, for nothing. It
    also fails when the upstream asset stores nothing (returns `MaterializeResult`).

    ## Example
    ```python
    @dg.asset
    def report(raw_orders):
        return build_report()
    ```

    ## Use instead
    ```python
    @dg.asset(deps=["raw_orders"])
    def report():
        return build_report()
    ```
    """
    if model.is_test_module:
        return  # tests build throwaway assets, wired up to check what Dagster does with them
    resource_keys: set[str] | None = None
    for d in model.of_kind("asset", "multi_asset"):
        if d.is_stub:
            continue
        if _DYNAMIC_LOCALS & d.loaded_names:
            continue
        params = upstream_parameters(model, d)
        if not params:
            continue  # most assets: the scope-aware walk of the body below is the costly part
        if all(p.arg in d.loaded_names for p in params) and not any(type(n) in _SCOPE_TYPES for n in d.body_nodes):
            continue  # each is read, and no nested scope could be the one reading it
        used = _reads(d)
        ins = _ins(d.kwarg("ins"))
        for param in params:
            if param.arg in used:
                continue
            if resource_keys is None:
                resource_keys = _resource_keys_bound(model)
            if param.arg in resource_keys:
                continue  # a resource whose class the annotation does not give away
            dep = _dep_text(model, param.arg, ins.get(param.arg))
            yield Violation(param, kind=label(d), name=d.name, param=param.arg, dep=dep)


def _resource_keys_bound(model: ModuleModel) -> set[str]:
    """Resource keys this module binds (`Definitions(resources=...)`, `materialize(..., resources=...)`)."""
    provides, _ = model.shared(providers)  # several rules ask; the lists are not changed
    return {key for provided in provides for key in provided["keys"]}


# ----------------------------------------------------------------------------- shared helpers


def _segment(model: ModuleModel, node: ast.AST, limit: int = 50) -> str:
    text = model.segment(node) or ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _ancestors(node: ast.AST, parents: dict[int, ast.AST], stop: ast.AST) -> Iterator[ast.AST]:
    """The nodes enclosing `node`, innermost first, up to (not including) `stop`."""
    current = parents.get(id(node))
    while current is not None and current is not stop:
        yield current
        current = parents.get(id(current))


def _local_values(d: Definition) -> dict[str, list[ast.expr]]:
    """What each local name is bound to in the body: `x = ...`, `with ... as x`, `x := ...`."""
    values: dict[str, list[ast.expr]] = {}
    for node in d.body_nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) and node.value:
            values.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            values.setdefault(node.optional_vars.id, []).append(node.context_expr)
    return values


# ----------------------------------------------------------------------------- DAG602


def _is_log_call(model: ModuleModel, d: Definition, stmt: ast.stmt) -> bool:
    """`context.log.info(...)`, `logger.debug(...)`, `logging.info(...)`, `print(...)`."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    if isinstance(func, ast.Name):
        return func.id == "print" and func.id not in d.local_names
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):
        return model.qualname(receiver.func, d) in ("dagster.get_dagster_logger", "logging.getLogger")
    last = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return last.lower().strip("_") in ("log", "logger", "logging")


def _output_value(model: ModuleModel, d: Definition, value: ast.expr | None) -> ast.expr | None:
    """The value of a bare `Output(x)` (only `output_name=` besides); None for anything else."""
    if not (isinstance(value, ast.Call) and model.qualname(value.func, d) == "dagster.Output"):
        return None
    kwargs = call_kwargs(value)
    if any(kw.arg is None for kw in value.keywords) or set(kwargs) - {"value", "output_name"}:
        return None
    if len(value.args) == 1 and "value" not in kwargs:
        return value.args[0]
    if not value.args and "value" in kwargs:
        return kwargs["value"]
    return None


def _returned_name(model: ModuleModel, d: Definition) -> str | None:
    """The name the body hands back unchanged, when returning it is all the body does besides logging."""
    body = list(d.node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body:
        return None
    *before, last = body
    if not all(isinstance(s, ast.Pass) or _is_log_call(model, d, s) for s in before):
        return None
    if isinstance(last, ast.Return):
        value = last.value
        value = _output_value(model, d, value) or value
    elif isinstance(last, ast.Expr) and isinstance(last.value, ast.Yield):
        value = _output_value(model, d, last.value.value)
    else:
        return None
    return value.id if isinstance(value, ast.Name) else None


def _key_name(model: ModuleModel, node: ast.expr | None) -> str | None:
    """The last part of a literal asset key: `"a"`, `["a", "b"]`, `dg.AssetKey(["a", "b"])`."""
    if isinstance(node, ast.Call) and model.qualname(node.func) == "dagster.AssetKey":
        node = node.args[0] if node.args else call_kwargs(node).get("path")
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        node = node.elts[-1]
    return literal_str(node)


def _upstream_name(model: ModuleModel, param: str, asset_in: ast.expr | None) -> str | None:
    if isinstance(asset_in, ast.Call):
        kwargs = call_kwargs(asset_in)
        key = kwargs.get("key", asset_in.args[0] if asset_in.args else None)
        if key is not None:
            return _key_name(model, key)
    return param


def _module_assets(model: ModuleModel) -> dict[str, Definition]:
    """Single assets defined in this module, by the last part of their key."""
    out: dict[str, Definition] = {}
    for d in model.of_kind("asset"):
        if "key" in d.kwargs:
            name = _key_name(model, d.kwargs["key"])
        else:
            name = literal_str(d.kwargs["name"]) if "name" in d.kwargs else d.name
        if name:
            out[name] = d
    return out


# Definitions of assets whose data another system (or another IO manager) stores.
_EXTERNAL_ASSETS = ("dagster.SourceAsset", "dagster.AssetSpec", "dagster.external_asset_from_spec")


def _external_names(model: ModuleModel) -> set[str]:
    names = {d.name for d in model.of_kind("observable_source_asset")}
    for call in model.calls_to(*_EXTERNAL_ASSETS):
        key = call.args[0] if call.args else call_kwargs(call).get("key")
        name = _key_name(model, key)
        if name:
            names.add(name)
    return names


def _kwarg_text(model: ModuleModel, d: Definition, name: str) -> str | None:
    value = d.kwargs.get(name)
    return None if value is None else ast.dump(value)


def _same_storage(model: ModuleModel, d: Definition, upstream: Definition | None) -> bool:
    """Whether the copy lands where the original already is: same IO manager, same partitions."""
    if upstream is None:
        # The upstream lives in another module: a copy is a storage move only if this asset says so.
        return "io_manager_key" not in d.kwargs and "io_manager_def" not in d.kwargs
    if "io_manager_def" in d.kwargs or "io_manager_def" in upstream.kwargs:
        return False
    return all(
        _kwarg_text(model, d, kw) == _kwarg_text(model, upstream, kw) for kw in ("io_manager_key", "partitions_def")
    )


@rule(
    "DAG602",
    "pass-through-asset",
    "W",
    "asset `{name}` returns its input `{param}` unchanged: every run stores a second copy of the same "
    "value through the IO manager; drop `{name}` and depend on `{upstream}` directly downstream",
)
def pass_through_asset(model: ModuleModel):
    """Asset that only returns one of its inputs unchanged.

    ## What it does
    Reports an `@asset` whose body does nothing but return one of its upstream inputs as it
    was loaded (`return orders`, `return dg.Output(orders)`, `yield dg.Output(orders)`),
    possibly after logging (`context.log.info(...)`, `logger.info(...)`, `print(...)`).

    It stays quiet when the copy does something the upstream does not:
    - the asset stores the value with another IO manager than the upstream's (a different
      `io_manager_key=`, or any `io_manager_def=`), or loads it with an
      `input_manager_key=`: moving data from one storage to another is the point. When the
      upstream is defined in another module, any `io_manager_key=` on the asset counts as a
      move;
    - the upstream is an external asset (`dg.AssetSpec`, `dg.SourceAsset`,
      `@observable_source_asset`): copying it in is ingestion;
    - the partitioning differs from the upstream's, or the input has a `partition_mapping=`;
    - the body attaches metadata (`dg.Output(orders, metadata=...)`,
      `context.add_output_metadata(...)`), a data version or tags: the asset records
      something about the value. Consider an asset check on the upstream instead;
    - the body is a stub, or does anything else (even `df.copy()`).

    ## Why is this bad?
    The asset adds nothing but a second copy of the data: every run loads the upstream
    value, writes it again through the IO manager, and the lineage graph gains a node that
    means the same as its parent.

    ## Example
    ```python
    @dg.asset
    def orders_for_reporting(context, cleaned_orders: pd.DataFrame) -> pd.DataFrame:
        context.log.info("passing orders through")
        return cleaned_orders

    @dg.asset
    def revenue_report(orders_for_reporting: pd.DataFrame) -> pd.DataFrame:
        return orders_for_reporting.groupby("day").sum()
    ```

    ## Use instead
    ```python
    @dg.asset
    def revenue_report(cleaned_orders: pd.DataFrame) -> pd.DataFrame:
        return cleaned_orders.groupby("day").sum()
    ```
    """
    if model.is_test_module:
        return  # tests build throwaway assets and resources on purpose
    assets: dict[str, Definition] | None = None
    external: set[str] | None = None
    for d in model.of_kind("asset"):
        if d.is_stub:
            continue
        returned = _returned_name(model, d)
        if returned is None:
            continue
        params = {p.arg: p for p in upstream_parameters(model, d)}
        if returned not in params:
            continue
        asset_in = _ins(d.kwarg("ins")).get(returned)
        if isinstance(asset_in, ast.Call) and {"input_manager_key", "partition_mapping"} & set(call_kwargs(asset_in)):
            continue
        upstream_name = _upstream_name(model, returned, asset_in)
        if upstream_name is None:
            continue
        if assets is None:
            assets, external = _module_assets(model), _external_names(model)
        if upstream_name in external:
            continue
        if not _same_storage(model, d, assets.get(upstream_name)):
            continue
        yield at_def(d, name=d.name, param=returned, upstream=upstream_name)


# ----------------------------------------------------------------------------- DAG603

# Name parts that say a receiver is a database cursor, connection, session or client.
_DB_WORDS = frozenset(
    {"cursor", "cur", "curs", "conn", "connection", "con", "cnx", "session", "engine", "db", "client", "tx", "txn",
     "transaction", "hook"}
)
# Collections of records in a document or table store (`orders_table.insert(row)`).
_TABLE_WORDS = frozenset({"table", "collection", "coll"})
# Methods that hand out a connection or cursor.
_CONNECTION_METHODS = frozenset(
    {"cursor", "connect", "begin", "connection", "get_connection", "raw_connection", "get_conn", "get_cursor"}
)
# Objects that collect writes and send them in batches (`table.batch_writer()`, `redis.pipeline()`).
_BATCHING = re.compile(r"batch|bulk|pipeline|buffer", re.IGNORECASE)
# Loops over groups of rows: `for batch in batched(rows, 1000)`, `for chunk in pd.read_csv(..., chunksize=...)`.
_PER_BATCH = re.compile(r"batch|chunk|page", re.IGNORECASE)
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _words(name: str) -> set[str]:
    return {w.lower() for w in re.split(r"_+", _CAMEL_SPLIT.sub("_", name)) if w}


def _last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _bound_from(locals_: dict[str, list[ast.expr]], receiver: ast.expr) -> list[ast.expr]:
    return locals_.get(receiver.id, []) if isinstance(receiver, ast.Name) else []


def _is_batching(locals_: dict[str, list[ast.expr]], receiver: ast.expr) -> bool:
    """`batch.put_item(...)` inside `with table.batch_writer() as batch:`: the client batches the writes."""
    name = _last_name(receiver) or ""
    if _BATCHING.search(name):
        return True
    for value in [receiver, *_bound_from(locals_, receiver)]:
        if isinstance(value, ast.Call) and _BATCHING.search(_last_name(value.func) or ""):
            return True
    return False


def _is_database(model: ModuleModel, d: Definition, locals_: dict[str, list[ast.expr]], receiver: ast.expr,
                 words: frozenset[str] = _DB_WORDS) -> bool:
    """Evidence that `receiver` talks to a database: its name, where it comes from, its annotation."""
    name = _last_name(receiver)
    if name and _words(name) & words:
        return True
    if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Attribute):
        if receiver.value.attr == "resources":  # context.resources.warehouse
            return True
    for value in [receiver, *_bound_from(locals_, receiver)]:
        if isinstance(value, ast.Call):
            if (_last_name(value.func) or "") in _CONNECTION_METHODS:
                return True
            if model.qualname(value.func, d) in CLIENT_CONSTRUCTORS:
                return True
    if isinstance(receiver, ast.Name):
        param = next((p for p in d.params if p.arg == receiver.id), None)
        if param is not None and is_resource_annotation(model, param.annotation):
            return True
    return False


# Stands in the SQL text for a value interpolated from the loop's item.
_ITEM = "\x00"


_PERCENT = re.compile(r"%(?:\([^)]*\))?[sdifr]")


def _format_marks(text: str, call: ast.Call, per_item: set[str]) -> str:
    """`"UPDATE {} SET x = {}".format(table, row.x)`: mark the fields filled from the loop's item."""
    kwargs = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    out: list[str] = []
    position = 0
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return text
    for literal, field, _, _ in fields:
        out.append(literal)
        if field is None:
            continue
        name = field.split(".")[0].split("[")[0]
        if name == "":
            value = call.args[position] if position < len(call.args) else None
            position += 1
        elif name.isdigit():
            value = call.args[int(name)] if int(name) < len(call.args) else None
        else:
            value = kwargs.get(name)
        out.append(_ITEM if value is not None and _mentions(value, per_item) else "{}")
    return "".join(out)


def _sql_text(
    model: ModuleModel,
    locals_: dict[str, list[ast.expr]],
    node: ast.AST | None,
    per_item: set[str],
    depth: int = 0,
) -> str | None:
    """The text of a SQL statement: `{}` where an f-string interpolates, `_ITEM` where it interpolates the item."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else (_ITEM if _mentions(v, per_item) else "{}") for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        text = _sql_text(model, locals_, node.left, per_item, depth + 1)
        if text is None:
            return None
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        parts = _PERCENT.split(text)
        if len(parts) == len(values) + 1:
            marks = [_ITEM if _mentions(v, per_item) else "{}" for v in values]
            return "".join(p + m for p, m in zip(parts, [*marks, ""]))
        return text + (_ITEM if _mentions(node.right, per_item) else "")
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            text = _sql_text(model, locals_, func.value, per_item, depth + 1)
            return None if text is None else _format_marks(text, node, per_item)
        if _last_name(func) == "text" and node.args:  # sqlalchemy.text("...")
            return _sql_text(model, locals_, node.args[0], per_item, depth + 1)
    if isinstance(node, ast.Name):
        values = locals_.get(node.id) or ([model.constants[node.id]] if node.id in model.constants else [])
        if len(values) == 1:
            return _sql_text(model, locals_, values[0], per_item, depth + 1)
    return None


_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


_VALUE_BEFORE = re.compile(r"(?:[=(,<>]|\bvalues|\bin)\s*['\"]?$")


def _item_as_value(sql: str, start: int) -> bool:
    """An item interpolated after `start` where a value goes (`id = {row.id}`), not a name (`{column} = ...`)."""
    at = sql.find(_ITEM, start)
    while at >= 0:
        if _VALUE_BEFORE.search(sql[start:at]):
            return True
        at = sql.find(_ITEM, at + 1)
    return False


def _writes_rows(
    model: ModuleModel, locals_: dict[str, list[ast.expr]], statement: ast.expr | None, params: list[ast.expr],
    per_item: set[str],
) -> bool:
    """An INSERT/UPSERT/REPLACE ... VALUES or an UPDATE ... WHERE that writes the loop's item.

    The item must reach the parameters, the VALUES of an insert or the WHERE of an update: an
    item interpolated only as a table or column name (`f"UPDATE {table} SET {column} = ..."`)
    makes one statement per table or column.
    """
    if statement is None:
        return False
    in_params = any(_mentions(p, per_item) for p in params)
    text = _sql_text(model, locals_, statement, per_item)
    if text is not None:
        sql = _SQL_COMMENT.sub(" ", text).strip().lstrip("(").lower()
        if sql.startswith(("insert", "upsert", "replace")):
            keyword = "values"
        elif sql.startswith("update"):
            # A row is picked by its key: an item only in `SET {column} = ...` is one statement per column.
            keyword = " where"
        else:
            return False
        at = sql.find(keyword)
        return at >= 0 and (in_params or _item_as_value(sql, at))
    # SQLAlchemy constructs: `insert(orders).values(**row)`, `orders.update().values(...)`.
    node, construct, in_values = statement, False, False
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            method = _last_name(node.func) or ""
            construct = construct or method in ("insert", "update")
            if method == "values":
                in_values = in_values or any(_mentions(a, per_item) for a in [*node.args, *node.keywords])
            node = node.func
        else:
            node = node.value
    if construct:
        return in_params or in_values
    # A statement defined elsewhere: only its name tells.
    name = _last_name(statement)
    return bool(name) and bool({"insert", "upsert", "update"} & _words(name)) and in_params


def _assigned_names(nodes: list[ast.AST]) -> Iterator[tuple[set[str], ast.AST]]:
    """(names bound, value) for assignments among `nodes`."""
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if node.value is not None:
                yield names, node.value
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            yield {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}, node.iter
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            yield {n.id for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name)}, node.context_expr


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _per_item_names(seed: set[str], body: list[ast.AST]) -> set[str]:
    """`seed` and every name assigned from it in the loop body (`values = (row.id, row.total)`)."""
    derived = set(seed)
    assignments = list(_assigned_names(body))
    changed = True
    while changed:
        changed = False
        for names, value in assignments:
            if not names <= derived and _mentions(value, derived):
                derived |= names
                changed = True
    return derived


class _Loop:
    def __init__(self, node: ast.AST, body: list[ast.AST], per_item: set[str], where: str, over_rows: bool,
                 is_while: bool = False):
        self.node = node
        self.is_while = is_while
        self.body = body
        self.per_item = per_item
        self.where = where
        self.over_rows = over_rows


def _iterates_rows(model: ModuleModel, d: Definition, iterable: ast.expr) -> bool:
    """`df.iterrows()`, `df.to_dict("records")`, `cursor.fetchall()`, `csv.DictReader(f)`..."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "enumerate":
        iterable = iterable.args[0] if iterable.args else iterable
    if not isinstance(iterable, ast.Call):
        return False
    if model.qualname(iterable.func, d) in ("csv.reader", "csv.DictReader"):
        return True
    method = _last_name(iterable.func) if isinstance(iterable.func, ast.Attribute) else None
    if method in ROW_ITERATION_METHODS:
        return True
    orient = iterable.args[0] if iterable.args else call_kwargs(iterable).get("orient")
    return method == "to_dict" and literal_str(orient) == "records"


def _per_batch(loop: ast.For | ast.AsyncFor) -> bool:
    """`for batch in batched(rows, 1000)`, `for chunk in pd.read_csv(path, chunksize=...)`, `for page in pages`."""
    names = [n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)]
    it = loop.iter
    if isinstance(it, ast.Call):
        names.append(_last_name(it.func) or "")
        names += [kw.arg for kw in it.keywords if kw.arg]
    elif isinstance(it, (ast.Name, ast.Attribute)):
        names.append(_last_name(it) or "")
    return any(_PER_BATCH.search(name) for name in names)


def _loops(model: ModuleModel, d: Definition, locals_: dict[str, list[ast.expr]]) -> Iterator[_Loop]:
    """The loops of the body with the names that change from one item to the next."""
    literal = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Constant)
    for node in d.body_nodes:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            iterable = node.iter
            if isinstance(iterable, ast.Name) and len(locals_.get(iterable.id, [])) == 1:
                iterable = locals_[iterable.id][0]  # `columns = ["event", "context"]`
            if isinstance(iterable, literal):
                continue  # a handful of rows (or tables, or columns) written out by hand
            if _per_batch(node):
                continue  # one write per batch, chunk or page is what batching looks like
            body = [n for stmt in node.body for n in ast.walk(stmt)]
            seed = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            where = f"for each item of `{_segment(model, node.iter, 40)}`"
            yield _Loop(node, body, _per_item_names(seed, body), where, _iterates_rows(model, d, node.iter))
        elif isinstance(node, ast.While):
            body = [n for stmt in node.body for n in ast.walk(stmt)]
            bound = list(_assigned_names([*ast.walk(node.test), *body]))
            seed = {n for names, _ in bound for n in names}
            # `while (row := cursor.fetchone()) is not None:` walks over rows.
            over_rows = any(isinstance(v, ast.Call) and _last_name(v.func) == "fetchone" for _, v in bound)
            yield _Loop(node, body, seed, "on every pass of a `while` loop", over_rows, is_while=True)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            first = node.generators[0]
            if isinstance(first.iter, literal):
                continue
            seed = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            where = f"for each item of `{_segment(model, first.iter, 40)}`"
            yield _Loop(node, list(ast.walk(node.elt)), seed, where, _iterates_rows(model, d, first.iter))


_WRITE_METHODS = frozenset(PER_RECORD_WRITE_METHODS) | SQL_EXECUTE_METHODS | frozenset(ROW_LOOP_WRITE_METHODS)
_EXECUTE_FIX = "`executemany(...)`, a multi-row `VALUES` list, or a bulk load (`COPY`, `DataFrame.to_sql`)"


def _row_write(model: ModuleModel, d: Definition, locals_: dict[str, list[ast.expr]], loop: _Loop,
               call: ast.Call) -> str | None:
    """The batch alternative when `call` writes one record of the loop's items; None otherwise."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    method, receiver = func.attr, func.value
    arguments = [*call.args, *(kw.value for kw in call.keywords)]
    if not any(_mentions(a, loop.per_item) for a in arguments):
        if not (method in ROW_LOOP_WRITE_METHODS and _mentions(receiver, loop.per_item)):
            return None
    if method in PER_RECORD_WRITE_METHODS:
        return None if _is_batching(locals_, receiver) else PER_RECORD_WRITE_METHODS[method]
    if method in SQL_EXECUTE_METHODS:
        if loop.is_while and not loop.over_rows:
            return None  # one statement per page of an API or per batch: not per row
        args = list(call.args)
        # A resource's own `execute(context, sql, *params)` takes the context first.
        if args and isinstance(args[0], ast.Name) and args[0].id in CONTEXT_NAMES:
            args = args[1:]
        keywords = [kw for kw in call.keywords if kw.arg != "context"]
        statement_kw = next((kw for kw in keywords if kw.arg in ("statement", "sql", "query", "operation")), None)
        if args:
            statement, params = args[0], [*args[1:], *(kw.value for kw in keywords)]
        elif statement_kw is not None:
            statement = statement_kw.value
            params = [kw.value for kw in keywords if kw is not statement_kw]
        else:
            return None
        if _is_database(model, d, locals_, receiver) and _writes_rows(
            model, locals_, statement, params, loop.per_item
        ):
            return _EXECUTE_FIX
        return None
    if method in ROW_LOOP_WRITE_METHODS and loop.over_rows:
        if method == "insert" and not _is_database(model, d, locals_, receiver, _DB_WORDS | _TABLE_WORDS):
            return None
        return ROW_LOOP_WRITE_METHODS[method]
    return None


@rule(
    "DAG603",
    "row-by-row-write",
    "W",
    "{kind} `{name}` calls `{call}(...)` {where}: one round-trip per record; write them in one batch "
    "with {fix}",
)
def row_by_row_write(model: ModuleModel):
    """Database or client writes issued one record at a time inside a loop.

    ## What it does
    Reports, in an `@asset`, `@multi_asset`, `@op` or `@asset_check` body, a write inside a
    `for`/`while` loop (or a comprehension) whose arguments change with the loop's items:
    - calls that write one record by design (`insert_one`, `update_one`, `replace_one`,
      `put_item`, `put_record`, `append_row`), unless the receiver batches the writes
      (`with table.batch_writer() as batch: batch.put_item(...)`, a pipeline or bulk object);
    - `execute(...)` on a cursor, connection, session or engine (by its name, a
      `.cursor()`/`.connect()`/`.begin()` call, a client constructor or a resource) with an
      `INSERT ... VALUES`, `UPSERT`, `REPLACE ... VALUES` or `UPDATE ... WHERE` statement, or a
      SQLAlchemy `insert(...)`/`update(...)` construct, where the loop's item reaches the
      parameters, the `VALUES` or the `WHERE` clause;
    - `to_sql`, `put_object` and a table's `insert` only in a loop over the rows of a
      table (`df.iterrows()`, `df.itertuples()`, `df.to_dict("records")`,
      `cursor.fetchall()`, `csv.DictReader(...)`): once per table, file or chunk they are
      the right call (`for chunk in pd.read_csv(path, chunksize=...)`).

    In a `while` loop, `execute(...)` is reported only when the loop walks over rows
    (`while (row := cursor.fetchone()) is not None`): one statement per API page is paced by
    the API.

    The lists of method names are in `dagster_lint/knowledge.py`. Not reported: loops over a
    literal list (also through a local name), loops over batches, chunks or pages
    (`for batch in itertools.batched(rows, 1000)`), statements that do not take the loop's
    items (DDL per table, `UPDATE {table} SET {column} = ...` per column, `INSERT ...
    SELECT`, `DELETE`), `executemany(...)`, ORM `session.add(...)`, generic `.write(...)`
    calls, writes in helper functions, sensors and test modules.

    ## Why is this bad?
    Each call is a network round-trip (and often a transaction): writing 100,000 rows one by
    one takes minutes where one batch takes seconds, holds the run's worker meanwhile and
    leaves a half-written table when it fails midway.

    ## Example
    ```python
    @dg.asset
    def orders_table(warehouse: WarehouseResource, orders: pd.DataFrame):
        with warehouse.get_connection() as conn:
            cursor = conn.cursor()
            for row in orders.itertuples():
                cursor.execute("INSERT INTO orders VALUES (%s, %s)", (row.id, row.total))
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders_table(warehouse: WarehouseResource, orders: pd.DataFrame):
        with warehouse.get_connection() as conn:
            cursor = conn.cursor()
            cursor.executemany(
                "INSERT INTO orders VALUES (%s, %s)",
                list(orders[["id", "total"]].itertuples(index=False)),
            )
    ```
    """
    if model.is_test_module:
        return  # tests build throwaway assets and resources on purpose
    for d in compute_bodies(model):
        if not any(type(n) is ast.Call and isinstance(n.func, ast.Attribute) and n.func.attr in _WRITE_METHODS
                   for n in d.body_nodes):
            continue  # no write call at all: spare the loops' analysis, the costly part
        locals_ = _local_values(d)
        found: dict[int, tuple[ast.Call, _Loop, str]] = {}
        for loop in _loops(model, d, locals_):
            for node in loop.body:
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                method = node.func.attr
                if method not in PER_RECORD_WRITE_METHODS and method not in SQL_EXECUTE_METHODS \
                        and method not in ROW_LOOP_WRITE_METHODS:
                    continue
                fix = _row_write(model, d, locals_, loop, node)
                if fix is not None:
                    # Loops come outermost first: the innermost loop that matters wins.
                    found[id(node)] = (node, loop, fix)
        for call, loop, fix in sorted(found.values(), key=lambda f: (f[0].lineno, f[0].col_offset)):
            yield Violation(
                call, kind=label(d), name=d.name, call=_segment(model, call.func), where=loop.where, fix=fix
            )


# ----------------------------------------------------------------------------- DAG604


def _number(node: ast.expr | None) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _at_most(d: Definition, node: ast.expr | None) -> float | None:
    """An upper bound of a duration: a number, or `min(remaining, 0.02)` with a number among its arguments."""
    value = _number(node)
    if value is not None:
        return value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "min":
        if "min" not in d.local_names:
            bounds = [b for b in (_number(a) for a in node.args) if b is not None]
            return min(bounds) if bounds else None
    return None


def _starts_work(name: str) -> bool:
    words = [w for w in re.split(r"_+", _CAMEL_SPLIT.sub("_", name).lower()) if w]
    return bool(words) and (words[0] in STARTING_FIRST_WORDS or any(w in STARTING_WORDS for w in words))


def _started_before(model: ModuleModel, d: Definition, node: ast.AST) -> bool:
    """Whether a call before `node` (the wait, or the loop that waits) started work elsewhere.

    Constructors (`RunJobRequest(...)`), client constructors, Dagster calls and logging do not.
    """
    for name, call in d.calls:
        if (call.lineno, call.col_offset) >= (node.lineno, node.col_offset):
            continue
        if name in SLEEP_CALLS or name in CLIENT_CONSTRUCTORS or (name or "").split(".")[0].startswith("dagster"):
            continue
        callee = _last_name(call.func)
        if callee and not callee[0].isupper() and _starts_work(callee):
            if not _is_log_call(model, d, ast.Expr(value=call)):
                return True
    return False


def _after_http_error(enclosing: list[ast.AST]) -> bool:
    """Inside `if resp.status_code in (429, 503):`: backing off before sending the request again."""
    return any(
        isinstance(n, ast.If)
        and any(isinstance(a, ast.Attribute) and a.attr == "status_code" for a in ast.walk(n.test))
        for n in enclosing
    )


def _polling_loop(model: ModuleModel, d: Definition, loop: ast.For | ast.AsyncFor) -> bool:
    """`for _ in range(30): if done(): break; time.sleep(10)`: a bounded wait, not a walk over items.

    A counting loop (`range(...)`, `itertools.count()`) whose counter feeds nothing but logging
    and comparisons, and that leaves early (`break`/`return`) once a check passes.
    """
    it = loop.iter
    if not isinstance(it, ast.Call):
        return False
    counter = (isinstance(it.func, ast.Name) and it.func.id == "range" and "range" not in d.local_names) or (
        model.qualname(it.func, d) == "itertools.count"
    )
    if not counter:
        return False
    targets = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    body = [n for stmt in loop.body for n in ast.walk(stmt)]
    for node in body:
        # A counter passed to a call (a page number) or used as an index walks over something.
        if (
            isinstance(node, ast.Call)
            and model.qualname(node.func, d) not in SLEEP_CALLS
            and not _is_log_call(model, d, ast.Expr(value=node))
        ):
            if any(_mentions(a, targets) for a in [*node.args, *(kw.value for kw in node.keywords)]):
                return False
        if isinstance(node, ast.Subscript) and _mentions(node.slice, targets):
            return False
    return any(isinstance(n, (ast.Break, ast.Return)) for n in body)


def _does_other_work(model: ModuleModel, d: Definition) -> bool:
    """Whether the body calls anything besides sleeping, logging, builtins and Dagster."""
    # What a log line prints (`context.log.info(str(os.listdir(".")))`) is logging too.
    logged = {
        id(n)
        for call in (c for _, c in d.calls if _is_log_call(model, d, ast.Expr(value=c)))
        for n in ast.walk(call)
    }
    for name, call in d.calls:
        if id(call) in logged or name in SLEEP_CALLS or (name or "").split(".")[0].startswith("dagster"):
            continue
        if isinstance(call.func, ast.Name) and hasattr(builtins, call.func.id):
            continue
        return True
    return False


_COLLECTING_METHODS = frozenset({"append", "extend", "update", "write", "writerow", "writerows"})


def _collects(loop: ast.While) -> bool:
    """Whether the loop gathers data on each pass (`rows.extend(page)`, `rows += body["data"]`, `yield`)."""
    for node in (n for stmt in loop.body for n in ast.walk(stmt)):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, ast.Call) and _last_name(node.func) in _COLLECTING_METHODS:
            return True
        if isinstance(node, ast.AugAssign) and isinstance(node.value, (ast.Subscript, ast.Call, ast.List)):
            return True
    return False


@rule(
    "DAG604",
    "sleep-in-asset",
    "W",
    "{kind} `{name}` waits with `{call}`{where}: the step holds its worker while it sleeps; wait for "
    "the external condition in a `@dg.sensor`, or raise `dg.RetryRequested(seconds_to_wait=...)` to "
    "retry the step later",
)
def sleep_in_asset(model: ModuleModel):
    """`time.sleep` in an asset or op body: waiting for something that happens elsewhere.

    ## What it does
    Reports `time.sleep(...)` (and `asyncio.sleep`, `anyio.sleep`, `trio.sleep`,
    `gevent.sleep`: awaiting a sleep in an async asset holds the step all the same; the list
    is `SLEEP_CALLS` in `dagster_lint/knowledge.py`) in an `@asset`, `@multi_asset`, `@op` or
    `@asset_check` body when it waits for a condition the step does not control (a file to
    land, an upstream table to be loaded, a slot to free up):
    - a sleep outside any loop (a blind wait: "give the partner a minute"), when the body
      does something else than sleep and log (a body that only sleeps is a placeholder or a
      demo of a slow step);
    - a sleep in a `while` loop (polling until a status changes);
    - a sleep in a counting loop that stops once a check passes, and whose counter is only
      logged or compared (`for _ in range(30): if ready(): break; time.sleep(10)`: bounded
      polling).

    It stays quiet when the body itself started the work it waits for before the wait (or
    before the loop that waits): a call such as `start_job_run(...)`, `trigger_refresh(...)`,
    `submit(...)`, `client.loop_start()`, `runs.create(...)`, `run_job(...)` or
    `requests.post(...)` (the words are `STARTING_WORDS` and `STARTING_FIRST_WORDS` in
    `dagster_lint/knowledge.py`). Triggering an external job and polling it to the end is how
    Dagster's own integrations run one; a sensor cannot wait for work the step has not
    started yet, and a retry would start it again.

    It also stays quiet for rate limiting and backoff, which are legitimate between
    requests: a sleep in a `for` loop over items or pages (`for page in pages: fetch(page);
    time.sleep(2)`), in a `while` loop that gathers data on each pass (`rows.extend(...)`,
    `rows += ...`, `yield`: paging through an API), a sleep of at most a second inside any
    loop (`time.sleep(min(remaining, 0.05))` included), a sleep in an `except` handler or
    under a check of the response's `status_code` (backoff before a retry), `sleep(0)`
    (yielding to the event loop), and sleeps in helper functions and resources outside the
    asset body. Test modules are not checked.

    ## Why is this bad?
    While the step sleeps, it holds a run worker (and, on Kubernetes or ECS, a whole pod)
    doing nothing, and the wait is invisible in the UI. If the run is interrupted the wait
    starts over. A sensor checks the condition between runs and launches the run when it
    holds; `RetryRequested` gives the worker back and retries the step later.

    ## Example
    ```python
    @dg.asset(partitions_def=daily)
    def partner_orders(context: dg.AssetExecutionContext, drop: PartnerDropResource) -> bytes:
        path = f"orders/{context.partition_key}.csv"
        while not drop.exists(path):
            time.sleep(60)
        return drop.read(path)
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=daily)
    def partner_orders(context: dg.AssetExecutionContext, drop: PartnerDropResource) -> bytes:
        path = f"orders/{context.partition_key}.csv"
        if not drop.exists(path):
            raise dg.RetryRequested(max_retries=60, seconds_to_wait=60)
        return drop.read(path)
    ```

    or a `@dg.sensor` that requests the partition's run once its file has landed.
    """
    if model.is_test_module:
        return  # tests build throwaway assets and resources on purpose
    for d in compute_bodies(model):
        parents: dict[int, ast.AST] | None = None
        for name, call in d.calls:
            if name not in SLEEP_CALLS:
                continue
            duration = call.args[0] if call.args else next(
                (kw.value for kw in call.keywords if kw.arg in ("seconds", "secs", "delay")), None
            )
            if _number(duration) == 0:
                continue
            if parents is None:
                parents = d.module.parents
            enclosing = list(_ancestors(call, parents, d.node))
            if any(isinstance(n, ast.ExceptHandler) for n in enclosing) or _after_http_error(enclosing):
                continue  # backing off before a retry
            loop = next((n for n in enclosing if isinstance(n, (ast.For, ast.AsyncFor, ast.While))), None)
            where = ""
            if loop is None and not _does_other_work(model, d):
                continue  # the sleep is the work: a placeholder or a demo of slow steps
            if _started_before(model, d, loop or call):
                continue  # waiting for a run, an export or a batch the body itself started
            if loop is not None:
                seconds = _at_most(d, duration)
                if seconds is not None and seconds <= 1:
                    continue
                if isinstance(loop, ast.While):
                    if _collects(loop):
                        continue  # paging through an API, pausing between pages
                    where = " in a `while` loop"
                elif _polling_loop(model, d, loop):
                    where = f" in `for ... in {_segment(model, loop.iter, 30)}`"
                else:
                    continue
            yield Violation(call, kind=label(d), name=d.name, call=_segment(model, call), where=where)


# ----------------------------------------------------------------------------- DAG605

def _in_memory_io(model: ModuleModel, value: ast.expr) -> bool:
    """`mem_io_manager`, `mem_io_manager.configured(...)`, `InMemoryIOManager()`."""
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "configured":
            return _in_memory_io(model, func.value)
        return model.qualname(func) == "dagster.InMemoryIOManager"
    return model.qualname(value) == "dagster.mem_io_manager"


def _enclosing_functions(model: ModuleModel, node: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions around `node`, innermost first."""
    around = [f for f in model.functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
    return sorted(around, key=lambda f: f.lineno, reverse=True)


def _function_values(func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> dict[str, list[ast.expr]]:
    """Local assignments of a function (a `@dg.definitions` function), by name."""
    values: dict[str, list[ast.expr]] = {}
    for n in ast.walk(func) if func is not None else ():
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            values.setdefault(n.targets[0].id, []).append(n.value)
    return values


def _resource_entries(
    model: ModuleModel, node: ast.expr | None, local: dict[str, list[ast.expr]], depth: int = 0
) -> Iterator[tuple[str | None, ast.expr]]:
    """(key, value) of a resources mapping: a dict literal, `dict(...)`, `{**base, ...}`, `a | b`, a name."""
    if node is None or depth > 5:
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is None:
                yield from _resource_entries(model, value, local, depth + 1)
            else:
                yield literal_str(key), value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for kw in node.keywords:
            if kw.arg is None:
                yield from _resource_entries(model, kw.value, local, depth + 1)
            else:
                yield kw.arg, kw.value
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _resource_entries(model, node.left, local, depth + 1)
        yield from _resource_entries(model, node.right, local, depth + 1)
    elif isinstance(node, ast.Name):
        values = local.get(node.id) or ([model.constants[node.id]] if node.id in model.constants else [])
        if len(values) == 1:
            yield from _resource_entries(model, values[0], local, depth + 1)


def _jobs_only_in_process(model: ModuleModel, call: ast.Call) -> bool:
    """`Definitions(jobs=..., executor=in_process_executor)`: ops hand values over inside one process."""
    kwargs = call_kwargs(call)
    executor = kwargs.get("executor")
    return (
        executor is not None
        and model.qualname(executor) == "dagster.in_process_executor"
        and "assets" not in kwargs
    )


@rule(
    "DAG605",
    "in-memory-io-manager",
    "W",
    "{owner} keeps {what} in memory (`{value}`): values live only in the process "
    "of the run that produced them, so later runs, re-executions and other step processes cannot "
    "load them; use a persistent IO manager (`dg.FilesystemIOManager()`, an object-store or "
    "warehouse IO manager) and keep `{value}` for tests",
)
def in_memory_io_manager(model: ModuleModel):
    """In-memory IO manager in the definitions a deployment loads.

    ## What it does
    Reports `dg.mem_io_manager`, `mem_io_manager.configured(...)` and
    `dg.InMemoryIOManager()` given as a resource to `dg.Definitions(resources=...)` or
    `dg.with_resources(...)` (through a dict literal, `dict(...)`, `{**base, ...}` or a
    module-level name), and as `io_manager_def=` of an `@asset`, `@multi_asset` or
    `dg.AssetOut`.

    It stays quiet in test modules (`test_*.py`, `*_test.py`, `conftest.py`, modules directly
    in a `tests/` directory), in functions whose name says `test`, under
    `if __name__ == "__main__":`, in `dg.materialize(...)`/`materialize_to_memory(...)` calls
    (test-style runs), when the choice depends on a condition
    (`mem_io_manager if local else s3_io`, a mapping picked by deployment name), for jobs'
    `resource_defs` and `Out(io_manager_def=...)` (ops in an in-process job may hand values
    over in memory on purpose), and for `Definitions` with only jobs and
    `executor=dg.in_process_executor`.

    ## Why is this bad?
    Asset values are kept in the memory of the process that computed them. With the default
    multiprocess executor each step runs in its own process, so downstream steps fail to load
    their inputs; even in one process, the values are gone when the run ends, so a
    downstream asset materialized in a later run, or a re-execution from failure, cannot load
    them.

    ## Example
    ```python
    defs = dg.Definitions(
        assets=[orders, revenue],
        resources={"io_manager": dg.mem_io_manager},
    )
    ```

    ## Use instead
    ```python
    defs = dg.Definitions(
        assets=[orders, revenue],
        resources={"io_manager": dg.FilesystemIOManager(base_dir="/data/dagster")},
    )
    ```
    """
    if model.is_test_module:
        return  # tests build throwaway assets and resources on purpose
    if not any(name in model.source for name in ("mem_io_manager", "InMemoryIOManager")):
        return
    seen: set[int] = set()
    owners = [
        ("dagster.Definitions", "resources", None, "`Definitions`"),
        ("dagster.with_resources", "resource_defs", 1, "`with_resources`"),
    ]
    for qualname, keyword, position, owner in owners:
        for call in model.calls_to(qualname):
            if qualname == "dagster.Definitions" and _jobs_only_in_process(model, call):
                continue
            functions = _enclosing_functions(model, call)
            if any("test" in f.name.lower() for f in functions) or in_script_block(model, call):
                continue
            mapping = call_kwargs(call).get(keyword)
            if mapping is None and position is not None and len(call.args) > position:
                mapping = call.args[position]
            local = _function_values(functions[0] if functions else None)
            for key, value in _resource_entries(model, mapping, local):
                if id(value) in seen:
                    continue  # a module-level mapping shared by several `Definitions`
                seen.add(id(value))
                if _in_memory_io(model, value):
                    if key == "io_manager":
                        what = "every output without an `io_manager_key`"
                    else:
                        what = f'the outputs with `io_manager_key="{key}"`' if key else "outputs"
                    yield Violation(value, owner=owner, what=what, value=_segment(model, value))
    for d in model.of_kind("asset", "multi_asset"):
        value = d.kwarg("io_manager_def")
        if value is not None and _in_memory_io(model, value):
            yield Violation(value, owner=f"{label(d)} `{d.name}`", what="its value", value=_segment(model, value))
    for call in model.calls_to("dagster.AssetOut"):
        value = call_kwargs(call).get("io_manager_def")
        if value is not None and _in_memory_io(model, value):
            yield Violation(value, owner="`AssetOut`", what="its asset's value", value=_segment(model, value))
