"""DAG1xx: lineage and dependencies."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from dagster_lint.model import ASSET_KINDS, Definition, ModuleModel, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import (
    compute_bodies,
    is_resource_annotation,
    label,
    walk_no_nested_functions,
)

Key = tuple[str, ...]


# ----------------------------------------------------------------------------- asset keys


def _str_tuple(node: ast.AST | None) -> Key | None:
    """`"a"` -> ("a",); `["a", "b"]` / `("a", "b")` -> ("a", "b"); anything else -> None."""
    text = literal_str(node)
    if text is not None:
        return (text,)
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        parts = [literal_str(e) for e in node.elts]
        if all(p is not None for p in parts):
            return tuple(parts)  # type: ignore[arg-type]
    return None


def _arg(call: ast.Call, keyword: str, position: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return None


def _has_arg(call: ast.Call, keyword: str, position: int | None = None) -> bool:
    return _arg(call, keyword, position) is not None


def _is_call_to(model: ModuleModel, node: ast.AST | None, *names: str, scope: Definition | None = None) -> bool:
    return isinstance(node, ast.Call) and model.qualname(node.func, scope) in names


def coerce_key(model: ModuleModel, node: ast.AST | None) -> Key | None:
    """The asset key a literal coercible to `AssetKey` stands for: `"a"`, `["a", "b"]`, `dg.AssetKey(...)`.

    Dagster does not split strings on "/": `"a/b"` is the one-part key `a/b`.
    """
    if _is_call_to(model, node, "dagster.AssetKey"):
        return _str_tuple(_arg(node, "path", 0))  # type: ignore[arg-type]
    return _str_tuple(node)


def _prefix(node: ast.AST | None) -> Key | None:
    if node is None:
        return ()
    return _str_tuple(node)


def definition_key(d: Definition) -> Key | None:
    """The asset key of a single-asset definition (`@asset`, `@graph_asset`, `@observable_source_asset`)."""
    if d.decorator not in ("dagster.asset", "dagster.graph_asset", "dagster.observable_source_asset"):
        return None
    model = d.module
    if "key" in d.kwargs:
        return coerce_key(model, d.kwargs["key"])
    name: str | None = d.name
    if "name" in d.kwargs:
        name = literal_str(d.kwargs["name"])
    prefix = _prefix(d.kwargs.get("key_prefix"))
    if name is None or prefix is None:
        return None
    return (*prefix, name)


def show_key(key: Key) -> str:
    return f'"{key[0]}"' if len(key) == 1 else "[" + ", ".join(f'"{p}"' for p in key) + "]"


# Module-level definitions by the name their `def` binds.
Toplevel = dict[str, Definition]


def _module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import time, through `if`/`try`/`with` blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.For, ast.While)):
            yield from _module_level_statements(stmt.body)
            yield from _module_level_statements(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _module_level_statements(stmt.body)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            yield from _module_level_statements(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                yield from _module_level_statements(handler.body)
            yield from _module_level_statements(stmt.orelse)  # type: ignore[attr-defined]
            yield from _module_level_statements(stmt.finalbody)  # type: ignore[attr-defined]


def toplevel_definitions(model: ModuleModel) -> Toplevel:
    """Module-level definitions by the name their `def` binds, leaving out names bound twice.

    A name that is also imported, assigned or defined again at module level may not refer to the
    definition when the body runs, so it is left out.
    """
    bindings: dict[str, int] = {}
    defs: dict[str, ast.AST] = {}
    for stmt in _module_level_statements(model.tree.body):
        names: list[str] = []
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [stmt.name]
            defs[stmt.name] = stmt
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            names = [n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name)]
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names = [(a.asname or a.name).split(".")[0] for a in stmt.names]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        for name in names:
            bindings[name] = bindings.get(name, 0) + 1
    by_node = {id(d.node): d for d in model.definitions}
    out: Toplevel = {}
    for name, node in defs.items():
        d = by_node.get(id(node))
        if d is not None and bindings.get(name) == 1 and name not in model.imports:
            out[name] = d
    return out


# ----------------------------------------------------------------------------- inputs


def literal_ins(d: Definition) -> dict[str, ast.expr] | None:
    """`ins={...}` by input name; {} without `ins=`; None when it is not a literal dict."""
    ins = d.kwarg("ins")
    if ins is None:
        return {}
    if not isinstance(ins, ast.Dict) or any(k is None for k in ins.keys):
        return None
    out = {}
    for key, value in zip(ins.keys, ins.values):
        name = literal_str(key)
        if name is None:
            return None
        out[name] = value
    return out


def asset_in_key(model: ModuleModel, name: str, asset_in: ast.expr) -> Key | None:
    """The key `ins={name: dg.AssetIn(...)}` loads, or None when it is not literal."""
    if not _is_call_to(model, asset_in, "dagster.AssetIn"):
        return None
    assert isinstance(asset_in, ast.Call)
    key = _arg(asset_in, "key", 0)
    if key is not None:
        return coerce_key(model, key)
    prefix = _prefix(_arg(asset_in, "key_prefix", 2))
    return None if prefix is None else (*prefix, name)


def _unparsed(annotation: ast.expr | None) -> ast.expr | None:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    return annotation


def _config_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    annotation = _unparsed(annotation)
    if isinstance(annotation, ast.Name) and annotation.id in model.classes:
        return model.classes[annotation.id].kind == "config"
    name = model.qualname(annotation) if annotation is not None else None
    return name is not None and (name in ("dagster.Config", "dagster.PermissiveConfig") or name.endswith("Config"))


def nothing_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    annotation = _unparsed(annotation) if annotation is not None else None
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return True
    return annotation is not None and model.qualname(annotation) == "dagster.Nothing"


def _context_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    annotation = _unparsed(annotation)
    name = model.qualname(annotation) if annotation is not None else None
    return name is not None and name.startswith("dagster") and name.endswith("Context")


def input_parameters(d: Definition) -> list[ast.arg]:
    """Parameters Dagster maps to inputs: positional-or-keyword, after `context`, not config or resources."""
    model = d.module
    ctx = d.context_param
    return [
        p
        for p in d.node.args.args
        if p is not ctx
        and p.arg != "config"
        and not is_resource_annotation(model, p.annotation)
        and not _config_annotation(model, p.annotation)
        and not _context_annotation(model, p.annotation)
    ]


def _nothing_in(model: ModuleModel, asset_in: ast.expr) -> bool:
    dagster_type = _arg(asset_in, "dagster_type", 5) if isinstance(asset_in, ast.Call) else None
    return dagster_type is not None and model.qualname(dagster_type) == "dagster.Nothing"


def dep_key(model: ModuleModel, top: Toplevel, node: ast.expr, depth: int = 0) -> Key | None:
    """The key a `deps=` entry names: a string, an `AssetKey`, an asset function, an `AssetDep` of these."""
    if _is_call_to(model, node, "dagster.AssetDep"):
        assert isinstance(node, ast.Call)
        target = _arg(node, "asset", 0)
        return None if target is None else dep_key(model, top, target, depth)
    if _is_call_to(model, node, "dagster.AssetSpec"):
        assert isinstance(node, ast.Call)
        return coerce_key(model, _arg(node, "key", 0))
    if isinstance(node, ast.Name):
        d = top.get(node.id)
        if d is not None:
            return definition_key(d)
        value = model.constants.get(node.id)
        if value is not None and depth == 0 and node.id not in model.imports:
            return dep_key(model, top, value, depth + 1)
        return None
    return coerce_key(model, node)


def wrapped(d: Definition) -> bool:
    """Whether a decorator below the Dagster one replaces the function whose body is read."""
    decorators = d.node.decorator_list
    return decorators.index(d.decorator_node) < len(decorators) - 1


def deps_entries(d: Definition) -> list[ast.expr]:
    deps = d.kwarg("deps")
    if isinstance(deps, (ast.List, ast.Tuple, ast.Set)):
        return [e for e in deps.elts if not isinstance(e, ast.Starred)]
    return []


# ----------------------------------------------------------------------------- DAG103


def _caller_fix(caller: Definition, target: Definition) -> str:
    if target.kind == "op":
        where = "`@graph` or `@job`" if caller.kind == "op" else "`@graph_asset`"
        return f"wire the ops together in a {where}, or drop `@op` from `{target.name}` to call it as a plain function"
    if caller.kind == "asset_check":
        return f"take `{target.name}` as a parameter to load its stored value"
    if caller.kind == "op":
        return f"make `{caller.name}` an asset that takes `{target.name}` as a parameter"
    return "declare it as a parameter or in `deps=`"


@rule(
    "DAG103",
    "asset-called-directly",
    "E",
    "{kind} `{name}` calls {target_kind} `{target}()` directly; {fix}",
)
def asset_called_directly(model: ModuleModel):
    """Asset or op body that calls another asset's or op's function.

    ## What it does
    Reports a call such as `raw_orders()` inside the body of an `@asset`, `@multi_asset`,
    `@op` or `@asset_check`, where `raw_orders` is an asset, multi-asset, graph asset or op
    defined in the same module.

    It stays quiet inside `@graph`, `@graph_asset` and `@job` bodies (calling ops there is how
    they are composed), for calls to plain helper functions, when a parameter or local variable
    shadows the asset's name, when the module binds the name again (an import or an
    assignment), and in test modules.

    ## Why is this bad?
    The decorator turns the function into a definition object: calling it runs the upstream
    computation again, in-process, inside the downstream step. Dagster records no dependency
    (the lineage graph misses the edge), the upstream's IO manager, partitions, retries and
    resources are bypassed, and the upstream's stored materialization is neither read nor
    updated. Outside of tests, direct invocation also fails when the upstream needs a context.

    ## Example
    ```python
    @dg.asset
    def raw_orders():
        return fetch_orders()

    @dg.asset
    def daily_orders():
        return summarize(raw_orders())
    ```

    ## Use instead
    ```python
    @dg.asset
    def daily_orders(raw_orders):
        return summarize(raw_orders)
    ```
    """
    if model.is_test_module:
        return
    top = model.shared(toplevel_definitions)
    targets = {name: d for name, d in top.items() if d.kind in ASSET_KINDS or d.kind == "op"}
    if not targets:
        return
    for d in compute_bodies(model):
        nested = [other for other in model.definitions if other is not d and other.node in d.body_nodes]
        inner = {id(n) for other in nested for n in other.body_nodes}
        for node in d.body_nodes:
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or id(node) in inner:
                continue
            target = targets.get(node.func.id)
            if target is None or target is d or node.func.id in d.local_names:
                continue
            yield Violation(
                node,
                kind=label(d),
                name=d.name,
                target_kind=label(target),
                target=node.func.id,
                fix=_caller_fix(d, target),
            )


# ----------------------------------------------------------------------------- DAG105


_ASSET_IN_EXTRAS = (("metadata", 1), ("key_prefix", 2), ("partition_mapping", 4), ("dagster_type", 5))


@rule(
    "DAG105",
    "dependency-declared-twice",
    "W",
    "{kind} `{name}` declares upstream `{dep}` twice: as {how} and in `deps=`; {fix}",
)
def dependency_declared_twice(model: ModuleModel):
    """Upstream asset declared both as an input and in `deps=`.

    ## What it does
    Reports an entry of `deps=[...]` on an `@asset` or `@multi_asset` that names the same asset
    key as one of its inputs: a parameter (`def orders(raw_orders)`) or an `ins=` entry
    (`ins={"raw": dg.AssetIn(key="raw_orders")}`). Entries are matched by asset key, whether
    written as a string, an `AssetKey`, an `AssetSpec`, the asset function itself or an
    `AssetDep` of one of these.

    It stays quiet for an `AssetDep` that sets `partition_mapping=` or `metadata=` (the
    documented way to give an input a partition mapping), and for keys it cannot read
    statically.

    ## Why is this bad?
    A parameter already makes the upstream a dependency and loads its value; the `deps=` entry
    adds nothing but suggests that the value is not loaded, and the two drift apart when one is
    renamed. When the `ins=` entry sets anything besides the key (`key_prefix=`, `metadata=`,
    `dagster_type=`, `partition_mapping=`), Dagster rejects the definition when the code
    location loads.

    ## Example
    ```python
    @dg.asset(deps=["raw_orders"])
    def daily_orders(raw_orders):
        return summarize(raw_orders)
    ```

    ## Use instead
    ```python
    @dg.asset
    def daily_orders(raw_orders):
        return summarize(raw_orders)
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        entries = deps_entries(d)
        if not entries:
            continue
        ins = literal_ins(d)
        if ins is None:
            continue
        top = model.shared(toplevel_definitions)
        inputs: dict[Key, tuple[str, str]] = {}
        for name, asset_in in ins.items():
            key = asset_in_key(model, name, asset_in)
            if key is None:
                continue
            extras = [kw for kw, pos in _ASSET_IN_EXTRAS if _has_arg(asset_in, kw, pos)]  # type: ignore[arg-type]
            if extras:
                fix = (
                    f"Dagster rejects this definition because the `AssetIn` also sets `{extras[0]}=`; "
                    "remove the entry from `deps=`"
                )
            else:
                fix = "remove the entry from `deps=`"
            inputs.setdefault(key, (f'`ins={{"{name}": ...}}`', fix))
        for p in input_parameters(d):
            if p.arg not in ins:
                fix = "remove the entry from `deps=`: the parameter already loads it"
                inputs.setdefault((p.arg,), (f"parameter `{p.arg}`", fix))
        if not inputs:
            continue
        for entry in entries:
            if _is_call_to(model, entry, "dagster.AssetDep"):
                assert isinstance(entry, ast.Call)
                if _has_arg(entry, "partition_mapping") or _has_arg(entry, "metadata"):
                    continue
            key = dep_key(model, top, entry)
            if key is None or key not in inputs:
                continue
            how, fix = inputs[key]
            text = model.segment(entry) or show_key(key)
            yield Violation(entry, kind=label(d), name=d.name, dep=text, how=how, fix=fix)


# ----------------------------------------------------------------------------- DAG106


@dataclass
class _Out:
    name: str  # output name
    key: Key | None  # asset key, None when not literal
    node: ast.AST  # where it is declared
    nothing: bool  # Nothing-typed: Dagster emits it implicitly when the body does not
    required: bool


_EVENTS = frozenset(
    {
        "dagster.AssetObservation",
        "dagster.AssetCheckResult",
        "dagster.ExpectationResult",
    }
)


def _subsettable(d: Definition) -> bool:
    can_subset = d.kwarg("can_subset")
    return can_subset is not None and not (isinstance(can_subset, ast.Constant) and can_subset.value is False)


def _identifier(key: Key) -> str:
    return "__".join(key).replace("-", "_").replace(".", "_")


def _declared_outs(d: Definition) -> tuple[list[_Out], str] | None:
    """The outputs of a multi-asset when `outs=` or `specs=` is a literal, and which one it is."""
    model = d.module
    outs = d.kwarg("outs")
    specs = d.kwarg("specs")
    if outs is not None and specs is None:
        if not isinstance(outs, ast.Dict) or not outs.keys:
            return None
        declared = []
        for key_node, value in zip(outs.keys, outs.values):
            name = literal_str(key_node)
            if name is None or not _is_call_to(model, value, "dagster.AssetOut"):
                return None
            assert isinstance(value, ast.Call) and key_node is not None
            if any(isinstance(a, ast.Starred) for a in value.args) or any(kw.arg is None for kw in value.keywords):
                return None
            key_arg = _arg(value, "key", 1)
            if key_arg is not None:
                key = coerce_key(model, key_arg)
            else:
                prefix = _prefix(_arg(value, "key_prefix", 0))
                key = None if prefix is None else (*prefix, name)
            dagster_type = _arg(value, "dagster_type", 2)
            required = _arg(value, "is_required", 4)
            declared.append(
                _Out(
                    name=name,
                    key=key,
                    node=key_node,
                    nothing=dagster_type is not None and model.qualname(dagster_type) == "dagster.Nothing",
                    required=required is None or (isinstance(required, ast.Constant) and required.value is True),
                )
            )
        return declared, "outs"
    if specs is not None and outs is None:
        if not isinstance(specs, (ast.List, ast.Tuple)) or not specs.elts:
            return None
        declared = []
        for spec in specs.elts:
            if not _is_call_to(model, spec, "dagster.AssetSpec"):
                return None
            assert isinstance(spec, ast.Call)
            if any(kw.arg is None for kw in spec.keywords):
                return None
            key = coerce_key(model, _arg(spec, "key", 0))
            if key is None:
                return None
            skippable = _arg(spec, "skippable")
            declared.append(
                _Out(
                    name=_identifier(key),
                    key=key,
                    node=spec,
                    nothing=True,
                    # A subsettable multi-asset's specs are optional: the body yields the selected ones.
                    required=(skippable is None or (isinstance(skippable, ast.Constant) and skippable.value is False))
                    and not _subsettable(d),
                )
            )
        return declared, "specs"
    return None


@dataclass
class _Produced:
    """What a multi-asset body yields or returns, as far as it can be read."""

    names: dict[str, ast.AST]  # output names, with the first node producing each
    keys: dict[Key, ast.AST]  # asset keys of `MaterializeResult`s
    opaque: bool = False  # something whose output cannot be read: nothing is certain to be missing
    generator: bool = False
    tuples: list[ast.Tuple] | None = None  # returned tuple literals
    dicts: list[ast.Dict] | None = None  # returned dict literals


def _produced(d: Definition) -> _Produced:
    model = d.module
    result = _Produced(names={}, keys={}, tuples=[], dicts=[])
    nodes = list(walk_no_nested_functions(d.node.body))
    result.generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes)

    def record(value: ast.AST | None, returned: bool = False) -> None:
        """One yielded value, or one returned value (alone or in a tuple)."""
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            return
        name = model.qualname(value.func, d) if isinstance(value, ast.Call) else None
        if name in ("dagster.Output", "dagster.DynamicOutput"):
            assert isinstance(value, ast.Call)
            output_name = _arg(value, "output_name", 1)
            if output_name is None:
                if not returned:  # a returned `Output` without a name fills its output by position
                    result.names.setdefault("result", value)
            elif literal_str(output_name) is not None:
                result.names.setdefault(literal_str(output_name), value)  # type: ignore[arg-type]
            else:
                result.opaque = True
        elif name == "dagster.MaterializeResult":
            assert isinstance(value, ast.Call)
            key_arg = _arg(value, "asset_key", 0)
            if key_arg is None and returned:
                return  # fills its output by position
            key = coerce_key(model, key_arg)
            if key is None:
                result.opaque = True
            else:
                result.keys.setdefault(key, value)
        elif name not in _EVENTS:
            result.opaque = True

    for node in nodes:
        if isinstance(node, ast.YieldFrom):
            result.opaque = True
        elif isinstance(node, ast.Yield):
            record(node.value)
        elif isinstance(node, ast.Return) and not result.generator:
            value = node.value
            if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
                result.tuples.append(value)  # type: ignore[union-attr]
                for element in value.elts:
                    if isinstance(element, ast.Call):
                        record(element, returned=True)
            elif isinstance(value, ast.Dict):
                result.dicts.append(value)  # type: ignore[union-attr]
            else:
                record(value, returned=True)
    return result


def _reads_selection(d: Definition) -> bool:
    """Whether the body reads which outputs were selected, or hands its context to code that may."""
    nodes = d.body_nodes
    if any(isinstance(n, ast.Attribute) and ("selected" in n.attr or "subset" in n.attr) for n in nodes):
        return True  # `context.selected_output_names`, a context from `AssetExecutionContext.get()`, ...
    ctx = d.context_param
    if ctx is None:
        return False
    values = {id(n.value) for n in nodes if isinstance(n, ast.Attribute)}
    return any(
        isinstance(n, ast.Name) and n.id == ctx.arg and isinstance(n.ctx, ast.Load) and id(n) not in values
        for n in nodes
    )


def _names(outs: list[_Out]) -> str:
    return ", ".join(f"`{o.name}`" for o in outs)


@rule(
    "DAG106",
    "multi-asset-output-not-produced",
    "E",
    "multi-asset `{name}` {problem}; {fix}",
)
def multi_asset_output_not_produced(model: ModuleModel):
    """Multi-asset whose body does not produce the outputs it declares.

    ## What it does
    Checks an `@multi_asset` whose `outs=` is a literal dict of `AssetOut`s or whose `specs=`
    is a literal list of `AssetSpec`s against what its body yields or returns
    (`dg.Output(value, output_name=...)`, `dg.MaterializeResult(asset_key=...)`, a tuple with
    one value per output). It reports:

    - a required `AssetOut` that the body never yields or returns;
    - an `AssetSpec` the body yields no result for while it yields results for the others;
    - an `Output` or `MaterializeResult` naming an output or asset the decorator does not
      declare;
    - a returned tuple whose length differs from the number of outputs, and a returned dict;
    - `can_subset=True` on a body that never reads `context.selected_output_names` or
      `context.selected_asset_keys`.

    It stays quiet when the body yields or returns something it cannot read (output names
    computed in a loop, `yield from helper()`, a variable), for outputs declared with
    `is_required=False` or `skippable=True` (and specs of a subsettable multi-asset), when
    another decorator wraps the function, and for stubs. A body that yields nothing at all
    for `specs=` is fine: Dagster records each spec as materialized.

    ## Why is this bad?
    A required output that is never produced fails the step after the computation ran
    (`did not return an output for non-optional output`), an undeclared output name or asset
    key fails it too, and a dict or a tuple of the wrong length is rejected. A spec the body
    forgets is recorded as materialized even though nothing may have written it. With
    `can_subset=True`, yielding an output that was not selected fails the run.

    ## Example
    ```python
    @dg.multi_asset(outs={"orders": dg.AssetOut(), "customers": dg.AssetOut()})
    def shop_tables():
        yield dg.Output(load_orders(), output_name="orders")
    ```

    ## Use instead
    ```python
    @dg.multi_asset(outs={"orders": dg.AssetOut(), "customers": dg.AssetOut()})
    def shop_tables():
        yield dg.Output(load_orders(), output_name="orders")
        yield dg.Output(load_customers(), output_name="customers")
    ```
    """
    for d in model.of_kind("multi_asset"):
        if d.is_stub or wrapped(d):
            continue
        yield from _check_can_subset(d)
        parsed = _declared_outs(d)
        if parsed is None:
            continue
        outs, via = parsed
        yield from _check_outputs(d, outs, via)


def _check_can_subset(d: Definition) -> Iterator[Violation]:
    can_subset = d.kwarg("can_subset")
    if not (isinstance(can_subset, ast.Constant) and can_subset.value is True):
        return
    if _reads_selection(d):
        return
    kw = next(k for k in d.call.keywords if k.arg == "can_subset")  # type: ignore[union-attr]
    why = "has no `context` parameter to read the selection" if d.context_param is None else "never reads the selection"
    yield Violation(
        kw,
        name=d.name,
        problem=f"sets `can_subset=True` but {why}, so it produces every output even when only some are selected "
        "and the run fails",
        fix="produce only the outputs in `context.selected_output_names` "
        "(or the keys in `context.selected_asset_keys`)",
    )


def _check_outputs(d: Definition, outs: list[_Out], via: str) -> Iterator[Violation]:
    produced = _produced(d)
    by_name = {o.name: o for o in outs}
    keys_known = all(o.key is not None for o in outs)
    by_key = {o.key: o for o in outs if o.key is not None}
    declared = _names(outs)
    subsettable = _subsettable(d)
    multiple = len(outs) > 1

    # Undeclared names and keys fail the step whatever else the body does.
    for name, node in produced.names.items():
        if name not in by_name:
            unnamed = isinstance(node, ast.Call) and _arg(node, "output_name", 1) is None
            if unnamed:
                problem = f"yields an `Output` without `output_name=`, which names it `result`, not one of {declared}"
                fix = "pass `output_name=` with the declared name"
            else:
                problem = f"yields output `{name}`, which `{via}=` does not declare (declared: {declared})"
                fix = (
                    f'use a declared output name, or add `"{name}": dg.AssetOut()` to `outs=`'
                    if via == "outs"
                    else "use `dg.MaterializeResult(asset_key=...)` with a declared key"
                )
            yield Violation(node, name=d.name, problem=problem, fix=fix)
    if keys_known:
        for key, node in produced.keys.items():
            if key not in by_key:
                shown = " / ".join(key)
                yield Violation(
                    node,
                    name=d.name,
                    problem=f"yields a result for asset `{shown}`, which `{via}=` does not declare "
                    f"(declared: {declared})",
                    fix=f"use a declared key, or add `dg.AssetSpec({show_key(key)})` to `specs=`"
                    if via == "specs"
                    else f"use a declared key, or add an `AssetOut` for `{shown}` to `outs=`",
                )

    if not produced.generator and multiple:
        for ret in produced.dicts or []:
            yield Violation(
                ret,
                name=d.name,
                problem=f"returns a dict, but a body with several outputs must return a tuple ({declared})",
                fix=f"return one value per output, in the order of `{via}=`, "
                "or yield `dg.Output(value, output_name=...)` for each",
            )
        if not subsettable and d.kwarg("check_specs") is None:
            for ret in produced.tuples or []:
                if len(ret.elts) != len(outs):
                    yield Violation(
                        ret,
                        name=d.name,
                        problem=f"returns {len(ret.elts)} values but declares {len(outs)} outputs ({declared})",
                        fix=f"return one value per output, in the order of `{via}=`",
                    )

    if produced.opaque or produced.dicts:
        return
    if not produced.generator:
        if produced.tuples or not multiple:
            return  # a tuple fills every output by position; a single output takes the returned value
        if not produced.names and not produced.keys and all(o.nothing and o.required for o in outs):
            return  # `None` for Nothing-typed outputs: Dagster records each one as materialized
    covered = set(produced.names) | {o.name for o in outs if o.key in produced.keys}
    for out in outs:
        if out.name in covered or not out.required:
            continue
        if out.nothing:
            if not covered:
                continue  # nothing explicit at all: Dagster materializes every spec implicitly
            shown = " / ".join(out.key or (out.name,))
            yield Violation(
                out.node,
                name=d.name,
                problem=f"yields results for {_names([o for o in outs if o.name in covered])} but not for `{shown}`; "
                f"Dagster still records `{shown}` as materialized, without metadata, whether or not the body wrote it",
                fix=f"yield `dg.MaterializeResult(asset_key={show_key(out.key or (out.name,))})` once it is written, "
                f"or remove it from `{via}=`",
            )
        else:
            if produced.generator:
                fix = f'yield `dg.Output(value, output_name="{out.name}")`, or remove it from `outs=`'
            else:
                fix = "return a tuple with one value per output, in the order of `outs=`, or yield each `dg.Output`"
            yield Violation(
                out.node,
                name=d.name,
                problem=f"declares output `{out.name}` but never yields or returns it, "
                "so the step fails after computing",
                fix=fix,
            )


# ----------------------------------------------------------------------------- DAG107


_NO_VALUE_EVENTS = frozenset(
    {
        "dagster.AssetMaterialization",
        "dagster.AssetObservation",
        "dagster.AssetCheckResult",
        "dagster.ExpectationResult",
    }
)


def stores_nothing(d: Definition) -> str | None:
    """Why an `@asset` body hands its IO manager no value ("returns nothing", ...), or None when it may."""
    model = d.module
    nodes = list(walk_no_nested_functions(d.node.body))
    generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes)
    materialize_result = False

    def no_value(value: ast.expr | None) -> bool:
        nonlocal materialize_result
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            return True
        if not isinstance(value, ast.Call):
            return False
        name = model.qualname(value.func, d)
        if name == "dagster.MaterializeResult" and not _has_arg(value, "value", 5):
            materialize_result = True
            return True
        return name in _NO_VALUE_EVENTS

    for node in nodes:
        if isinstance(node, ast.YieldFrom):
            return None
        if isinstance(node, ast.Yield) and not no_value(node.value):
            return None
        if isinstance(node, ast.Return) and not generator and not no_value(node.value):
            return None
    if materialize_result:
        return ("yields" if generator else "returns") + " only `MaterializeResult`s (they store no value)"
    if generator:
        return "yields no `Output`"
    return "returns nothing"


def empty_upstreams(model: ModuleModel) -> dict[Key, tuple[Definition, str]]:
    """Assets of the module that hand their IO manager no value, by key, with why (DAG107)."""
    top = model.shared(toplevel_definitions)
    empty: dict[Key, tuple[Definition, str]] = {}
    counts: dict[Key, int] = {}
    for d in model.definitions:
        if not d.is_asset:
            continue
        key = definition_key(d) if not d.nested else None
        if key is None:
            continue
        counts[key] = counts.get(key, 0) + 1
        if d.kind != "asset" or d.is_stub or wrapped(d) or top.get(d.name) is not d or "io_manager_key" in d.kwargs:
            continue
        if d.kwarg("dagster_type") is not None or d.kwarg("output_required") is not None:
            continue
        why = stores_nothing(d)
        if why is not None:
            empty[key] = (d, why)
    return {k: v for k, v in empty.items() if counts[k] == 1}


@rule(
    "DAG107",
    "upstream-returns-none",
    "W",
    "{kind} `{name}` loads parameter `{param}` from asset `{upstream}`, which {why}: {effect}; "
    "return the value from `{upstream}`, or drop the parameter and declare `deps=[{dep}]`",
    mode="S,P",
)
def upstream_returns_none(model: ModuleModel):
    """Asset loads an upstream asset that returns nothing.

    ## What it does
    Reports a parameter of an `@asset` or `@multi_asset` that loads an asset defined in the same
    module whose body returns nothing: no `return value`, no `yield dg.Output(...)`, only
    `return dg.MaterializeResult(...)` (which stores no value) or no return at all.

    Across files (mode P), the upstream may be an asset of another module of the project,
    found through the project index as Dagster resolves the parameter (a one-part key reaches
    the prefixed asset of that name in the same group); the message names its file and line.
    It says nothing about upstreams it cannot read (factories, dbt, components): runtime mode
    (`--runtime`) sees them.

    It stays quiet when the upstream returns a value on some path (or something it cannot see
    through, such as a helper's result), when the upstream sets `io_manager_key=` or the input
    sets `input_manager_key=` (a custom IO manager may load data the asset wrote itself), when
    the upstream is a stub, sets `output_required=False` or is wrapped by another decorator,
    when the downstream also lists it in `deps=`, and for inputs typed `None` or `dg.Nothing`.

    ## Why is this bad?
    Dagster stores what the upstream returns and loads it into the parameter. When the
    upstream returns nothing, the default IO manager stores `None` and the downstream silently
    computes on `None`; when it returns a `MaterializeResult` or is annotated `-> None`,
    nothing is stored and loading the input fails with a missing file. Database IO managers
    reject the `None` output outright.

    ## Example
    ```python
    @dg.asset
    def raw_orders():
        write_table("raw_orders", fetch_orders())

    @dg.asset
    def daily_orders(raw_orders):
        return summarize(raw_orders)
    ```

    ## Use instead
    ```python
    @dg.asset
    def raw_orders():
        write_table("raw_orders", fetch_orders())

    @dg.asset(deps=[raw_orders])
    def daily_orders():
        return summarize(read_table("raw_orders"))
    ```
    """
    from dagster_lint.rules.project_lineage import empty_upstream_elsewhere

    top = model.shared(toplevel_definitions)
    empty = empty_upstreams(model)
    elsewhere = model.project is not None
    if not empty and not elsewhere:
        return
    for d in model.of_kind("asset", "multi_asset"):
        ins = literal_ins(d)
        if ins is None:
            continue
        declared_deps = {dep_key(model, top, e) for e in deps_entries(d)}
        for p in input_parameters(d):
            if nothing_annotation(model, p.annotation):
                continue
            asset_in = ins.get(p.arg)
            if asset_in is not None:
                custom_loader = isinstance(asset_in, ast.Call) and _has_arg(asset_in, "input_manager_key", 3)
                if _nothing_in(model, asset_in) or custom_loader:
                    continue
                key = asset_in_key(model, p.arg, asset_in)
            else:
                key = (p.arg,)
            if key is None or key in declared_deps:
                continue
            if key in empty:
                upstream, why = empty[key]
                if upstream is d:
                    continue
                annotated_none = nothing_annotation(model, upstream.node.returns)
                upstream_name, dep = upstream.name, upstream.name if definition_key(upstream) == key else show_key(key)
            else:
                found = empty_upstream_elsewhere(model, d, p, key) if elsewhere else None
                if found is None:
                    continue
                upstream_name, why, annotated_none, dep = found
            stores_none = why.startswith("returns nothing") and not annotated_none
            if stores_none:
                effect = f"`{d.name}` receives `None`"
            else:
                effect = "loading the input fails because nothing was stored"
                if why.startswith("returns nothing"):
                    why = why.replace("returns nothing", "returns nothing (annotated `-> None`)", 1)
            yield Violation(
                p,
                kind=label(d),
                name=d.name,
                param=p.arg,
                upstream=upstream_name,
                why=why,
                effect=effect,
                dep=dep,
            )
