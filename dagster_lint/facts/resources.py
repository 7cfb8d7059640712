"""Resource keys a module provides and requires, for DAG307 and DAG308.

Provided: the literal keys of `Definitions(resources={...})`, `with_resources(..., {...})`,
`resource_defs={...}` (on `@job`, `@asset`, `to_job`, ...) and of the resources a script
passes to `materialize(...)`/`execute_in_process(...)`, resolving module-level constants,
`**spreads` of them, `dict(...)` and mappings imported from other modules. Anything else that
can bind resources (a computed mapping, `Definitions.merge`, `@repository`,
`create_repository_using_definitions_args`) is recorded as opaque, with the reason, so that
rules stay silent instead of calling a key missing.

Required: typed resource parameters, `required_resource_keys={...}`, `io_manager_key=` (of
the decorator and its `AssetOut`/`Out` outputs) and `context.resources.<key>` of assets, ops,
asset checks, sensors and schedules.
"""

from __future__ import annotations

import ast
from typing import Iterator

from dagster_lint.facts import extractor
from dagster_lint.model import Definition, ModuleModel, is_resource_annotation, literal_str, unquote_annotation

# Kinds whose function Dagster hands resources to.
REQUIRING_KINDS = frozenset(
    {"asset", "multi_asset", "op", "asset_check", "sensor", "schedule", "observable_source_asset", "integration_assets"}
)
# Dagster binds these when nothing else does.
DEFAULT_KEYS = frozenset({"io_manager"})
# Attributes of `context.resources` that are not resource keys.
_RESOURCES_ATTRIBUTES = frozenset({"original_resource_dict"})

_OPAQUE_CALLS = {
    "dagster.Definitions.merge": "`Definitions.merge` combines resources from other objects",
    "dagster.create_repository_using_definitions_args": "`create_repository_using_definitions_args`",
    "dagster.load_definitions_from_package_name": "`load_definitions_from_package_name` may load another package",
}


class _Mapping:
    """The literal keys of a resources mapping expression, or why they cannot be read."""

    def __init__(self, model: ModuleModel, scope: ast.AST | None) -> None:
        self.model = model
        self.scope = scope  # the function the expression is in, for its local assignments
        self.keys: dict[str, str | None] = {}  # key -> class of the value, when it is a visible call
        self.reason: str | None = None
        self.imports: list[str] = []  # qualified names of imported mappings it includes
        self._names: set[str] = set()

    def read(self, node: ast.expr) -> _Mapping:
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    self.read(value)
                    continue
                name = literal_str(key)
                if name is None:
                    self.reason = f"a resource key computed by `{ast.unparse(key)}`"
                    continue
                self.keys[name] = self._class_of(value)
        elif isinstance(node, ast.Name):
            value = self._binding(node.id)
            if value is not None:
                self.read(value)
            elif node.id in self.model.imports and not self._bound_locally(node.id):
                # Another module's mapping: the project index resolves it.
                self.imports.append(self.model.imports[node.id])
            else:
                self.reason = f"`{node.id}` is not a mapping this module spells out"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and self._is_module(node.value.id):
            # `resources.RESOURCES` after `from shop import resources`.
            self.imports.append(f"{self.model.imports[node.value.id]}.{node.attr}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            self.read(node.left)
            self.read(node.right)
        elif _is_dict_call(node) and not node.args:
            for kw in node.keywords:
                if kw.arg is None:
                    self.read(kw.value)
                else:
                    self.keys[kw.arg] = self._class_of(kw.value)
        else:
            self.reason = f"resources from `{_short(node)}`"
        return self

    def _is_module(self, name: str) -> bool:
        return name in self.model.imports and not self._bound_locally(name) and name not in self.model.constants

    def _bound_locally(self, name: str) -> bool:
        return self.scope is not None and assigned_anywhere(self.scope, name)

    def _binding(self, name: str) -> ast.expr | None:
        """The single, never-mutated assignment of `name` in the enclosing function or module."""
        if name in self._names:
            return None
        self._names.add(name)
        if self.scope is not None:
            local = _single_assignment(self.scope, name)
            if local is not None:
                return local if not _mutated(self.scope, name) else None
            if assigned_anywhere(self.scope, name):
                return None
        if name in self.model.imports:
            return None
        value = self.model.constants.get(name)
        if value is None or _mutated(self.model.tree, name) or assignment_count(self.model.tree, name) != 1:
            return None
        return value

    def _class_of(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Name) and value.id not in self._names:
            bound = self.model.constants.get(value.id)
            if bound is not None:
                value = bound
        if isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Attribute) and func.attr in ("configured", "configure_at_launch"):
                func = func.value
            if isinstance(func, ast.Name):
                return func.id
            if isinstance(func, ast.Attribute):
                return func.attr
        return None


def _is_dict_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"


def _short(node: ast.AST, limit: int = 40) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _names_assigned(scope: ast.AST, name: str) -> Iterator[ast.AST]:
    """Stores of `name` in `scope` itself: nested functions, classes and comprehensions have
    their own namespaces."""
    own_namespace = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.comprehension)
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, own_namespace):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                yield node
            continue
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def assignment_count(scope: ast.AST, name: str) -> int:
    return sum(1 for _ in _names_assigned(scope, name))


def assigned_anywhere(scope: ast.AST, name: str) -> bool:
    return any(True for _ in _names_assigned(scope, name))


def _single_assignment(scope: ast.AST, name: str) -> ast.expr | None:
    stores = list(_names_assigned(scope, name))
    if len(stores) != 1:
        return None
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(t is stores[0] for t in node.targets):
            return node.value
    return None


def _mutated(scope: ast.AST, name: str) -> bool:
    """`name[k] = v`, `name.update(...)`, `name |= ...` anywhere in `scope`."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if isinstance(node.value, ast.Name) and node.value.id == name:
                return True
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault", "pop", "popitem", "clear", "__setitem__")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            return True
    return False


def _enclosing_function(model: ModuleModel, call: ast.Call) -> ast.AST | None:
    """The innermost function a call is in."""
    return next((n for n in model.ancestors(call) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def providers(model: ModuleModel) -> tuple[list[dict], list[dict]]:
    """(provides, opaque) of one module: see the module docstring."""
    provides: list[dict] = []
    opaque: list[dict] = []

    def add(call: ast.Call, via: str, expr: ast.expr | None) -> None:
        if expr is None:
            return
        mapping = _Mapping(model, _enclosing_function(model, call)).read(expr)
        if mapping.reason is not None:
            opaque.append({"line": call.lineno, "reason": f"{via} with {mapping.reason}"})
        else:
            provided = {"line": call.lineno, "via": via, "keys": mapping.keys}
            if mapping.imports:
                provided["imports"] = mapping.imports
            provides.append(provided)

    for call in model.calls_to("dagster.Definitions"):
        # An explicit `resources=` leaves nothing for a `**spread` to add: Python rejects the repeat.
        if any(kw.arg is None for kw in call.keywords) and _kw(call, "resources") is None:
            opaque.append({"line": call.lineno, "reason": "`Definitions(**kwargs)`"})
        resources = _kw(call, "resources")
        if resources is None:
            provides.append({"line": call.lineno, "via": "`Definitions(...)`", "keys": {}})
        add(call, "`Definitions(resources=...)`", resources)
    for call in model.calls_to("dagster.with_resources"):
        expr = call.args[1] if len(call.args) > 1 else _kw(call, "resource_defs")
        if expr is None:
            opaque.append({"line": call.lineno, "reason": "`with_resources` without a mapping"})
        add(call, "`with_resources(...)`", expr)
    for call in model.all_calls:
        expr = _kw(call, "resource_defs") if call.keywords else None
        if expr is not None and model.qualname(call.func) != "dagster.with_resources":
            add(call, "`resource_defs=`", expr)
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "with_resources" and call.args:
            add(call, "`.with_resources(...)`", call.args[0])
        elif isinstance(func, ast.Attribute) and func.attr == "execute_in_process":
            add(call, "`execute_in_process(resources=...)`", _kw(call, "resources"))
    # A script that runs assets itself binds their resources for that run.
    for call in model.calls_to("dagster.materialize", "dagster.materialize_to_memory"):
        add(call, f"`{model.qualname(call.func).rsplit('.', 1)[-1]}(resources=...)`", _kw(call, "resources"))
    for name, reason in _OPAQUE_CALLS.items():
        for call in model.calls_to(name):
            opaque.append({"line": call.lineno, "reason": reason})
    for d in model.of_kind("repository"):
        opaque.append({"line": d.line, "reason": "`@repository` (resources bound inside it)"})
    return provides, opaque


def context_param(model: ModuleModel, d: Definition) -> ast.arg | None:
    """The parameter that receives the context: named like one, or annotated with a
    Dagster `...Context` class (`ctx: dg.AssetExecutionContext`)."""
    if d.context_param is not None:
        return d.context_param
    positional = [*d.node.args.posonlyargs, *d.node.args.args]
    if positional and positional[0].annotation is not None:
        name = model.qualname(positional[0].annotation) or ""
        if name.startswith("dagster") and name.endswith("Context"):
            return positional[0]
    return None


def _annotation_name(annotation: ast.expr | None) -> str | None:
    annotation = unquote_annotation(annotation)
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    return None


_OUTS = frozenset({"dagster.AssetOut", "dagster.Out", "dagster.DynamicOut"})


def _io_manager_keys(model: ModuleModel, d: Definition) -> Iterator[ast.expr]:
    """`io_manager_key=` of the decorator and of its literal `AssetOut`/`Out` outputs."""
    direct = d.kwarg("io_manager_key")
    if direct is not None:
        yield direct
    outs = [d.kwarg("out"), d.kwarg("outs")]
    for value in outs:
        if isinstance(value, ast.Dict):
            candidates = value.values
        elif value is not None:
            candidates = [value]
        else:
            continue
        for out in candidates:
            if isinstance(out, ast.Call) and model.qualname(out.func) in _OUTS:
                key = _kw(out, "io_manager_key")
                if key is not None:
                    yield key


def _in_method(model: ModuleModel, node: ast.AST) -> bool:
    return any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(model.parent(n), ast.ClassDef)
        for n in model.ancestors(node)
    )


def requirements(model: ModuleModel) -> list[dict]:
    """Resource keys the module's definitions need, each where a reviewer would point."""
    out: list[dict] = []
    for d in model.definitions:
        if d.kind not in REQUIRING_KINDS or (d.nested and _in_method(model, d.node)):
            # A definition a method builds (a component's `build_defs`) gets its resources from
            # the project that loads the component, not from this module.
            continue
        base = {"owner": d.name, "kind": d.kind}
        ins = d.kwarg("ins")
        explicit_ins = {literal_str(k) for k in ins.keys} if isinstance(ins, ast.Dict) else set()
        for node in _io_manager_keys(model, d):
            key = literal_str(node)
            if key:
                out.append({**base, "key": key, "line": node.lineno, "col": node.col_offset,
                            "via": "io_manager_key", "typed": True, "annotation": None})
        context = context_param(model, d)
        for param in d.params:
            if param is context or param.arg == "config" or param.arg in explicit_ins:
                continue
            typed = is_resource_annotation(model, param.annotation)
            name = _annotation_name(param.annotation)
            if typed or name is not None:
                out.append(
                    {**base, "key": param.arg, "line": param.lineno, "col": param.col_offset, "via": "parameter",
                     "typed": typed, "annotation": name}
                )
        keys = d.kwarg("required_resource_keys")
        if isinstance(keys, (ast.Set, ast.List, ast.Tuple)):
            for elt in keys.elts:
                key = literal_str(elt)
                if key is not None:
                    out.append({**base, "key": key, "line": elt.lineno, "col": elt.col_offset,
                                "via": "required_resource_keys", "typed": True, "annotation": None})
        if context is None:
            continue
        seen: set[str] = set()
        for node in d.body_nodes:
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "resources"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == context.arg
                and node.attr not in _RESOURCES_ATTRIBUTES
                and not node.attr.startswith("_")
                and node.attr not in seen
            ):
                seen.add(node.attr)
                out.append({**base, "key": node.attr, "line": node.lineno, "col": node.col_offset,
                            "via": "context.resources", "typed": True, "annotation": None})
    out.sort(key=lambda r: (r["line"], r["col"]))
    return out


_GRAPH_KINDS = frozenset({"job", "graph", "graph_asset"})
# `my_op.alias("x")()`, `my_op.with_hooks({...})()`: still `my_op`.
_OP_WRAPPERS = frozenset({"alias", "tag", "with_hooks", "with_retry_policy", "configured"})


def ops_used(model: ModuleModel) -> tuple[list[str], list[str]]:
    """(called, fed): names called inside `@job`, `@graph` and graph-asset bodies (the ops a
    job runs), and those of them called with arguments (their inputs come from other ops).

    An op that no job or graph uses is never loaded, so its requirements bind nothing.
    """
    used: set[str] = set()
    fed: set[str] = set()
    for d in model.definitions:
        if d.kind not in _GRAPH_KINDS:
            continue
        for node in d.body_nodes:
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            while isinstance(func, ast.Call):
                func = func.func
            if isinstance(func, ast.Attribute) and func.attr in _OP_WRAPPERS:
                func = func.value
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name is None:
                continue
            used.add(name)
            if node.args or node.keywords:
                fed.add(name)
    for call in model.calls_to("dagster.GraphDefinition"):
        for kw in call.keywords:
            if kw.arg == "node_defs" and isinstance(kw.value, (ast.List, ast.Tuple)):
                names = {e.id for e in kw.value.elts if isinstance(e, ast.Name)}
                used.update(names)
                fed.update(names)  # wired by a dependency mapping
    return sorted(used), sorted(fed)


def mappings(model: ModuleModel) -> dict[str, dict]:
    """Module-level resource mappings other modules may import (`RESOURCES = {...}`):
    name -> {"keys": {...}, "imports": [...]} or {"reason": ...}."""
    out: dict[str, dict] = {}
    for name, value in model.constants.items():
        if not (
            isinstance(value, ast.Dict)
            or (isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr))
            or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict")
        ):
            continue
        mapping = _Mapping(model, None).read(ast.Name(id=name, ctx=ast.Load()))
        if mapping.reason is not None:
            out[name] = {"reason": mapping.reason}
        else:
            out[name] = {"keys": mapping.keys, "imports": mapping.imports}
    return out


@extractor("resources")
def extract(model: ModuleModel) -> dict:
    provides, opaque = model.shared(providers)
    out: dict = {}
    exported = mappings(model)
    if exported and model.uses_dagster:
        out["mappings"] = exported
    used, fed = ops_used(model)
    if used:
        out["ops_used"] = used
    if fed:
        out["ops_fed"] = fed
    if provides:
        out["provides"] = provides
    if opaque:
        out["opaque"] = opaque
    required = requirements(model)
    if required:
        out["requires"] = required
    return out
