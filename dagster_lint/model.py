"""ModuleModel: what one module imports and which Dagster objects it defines.

Built in one walk over the module's `ast`. Rules query the model instead of each walking the
tree again. Nothing here imports Dagster or the user's code.
"""

from __future__ import annotations

import ast
import re
from ast import AST
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

# Decorators that define something Dagster loads, by the kind rules ask for.
DECORATOR_KINDS = {
    "dagster.asset": "asset",
    "dagster.multi_asset": "multi_asset",
    "dagster.graph_asset": "graph_asset",
    "dagster.graph_multi_asset": "graph_asset",
    "dagster.op": "op",
    "dagster.asset_check": "asset_check",
    "dagster.multi_asset_check": "asset_check",
    "dagster.sensor": "sensor",
    "dagster.asset_sensor": "sensor",
    "dagster.multi_asset_sensor": "sensor",
    "dagster.run_status_sensor": "sensor",
    "dagster.run_failure_sensor": "sensor",
    "dagster.schedule": "schedule",
    "dagster.job": "job",
    "dagster.graph": "graph",
    "dagster.resource": "resource",
    "dagster.io_manager": "resource",
    "dagster.repository": "repository",
    "dagster.definitions": "definitions",
    "dagster.observable_source_asset": "observable_source_asset",
}


def decorator_kind(qualname: str | None) -> str | None:
    """The kind of definition a decorator makes; integration decorators such as
    `dagster_dbt.dbt_assets` or `dagster_dlt.dlt_assets` make assets whose keys come from
    outside the Python source."""
    if not qualname:
        return None
    kind = DECORATOR_KINDS.get(qualname)
    if kind is None and qualname.startswith("dagster_") and qualname.rsplit(".", 1)[-1].endswith("assets"):
        return "integration_assets"
    return kind


# Kinds whose body runs as a step of a run (where logging, I/O and error handling matter).
COMPUTE_KINDS = frozenset({"asset", "multi_asset", "op", "asset_check", "observable_source_asset"})
ASSET_KINDS = frozenset({"asset", "multi_asset", "graph_asset", "observable_source_asset"})

# Dagster names the first parameter may take to receive the context.
CONTEXT_NAMES = frozenset({"context", "_context", "context_", "_"})

RESOURCE_BASES = frozenset(
    {
        "dagster.ConfigurableResource",
        "dagster.ConfigurableIOManager",
        "dagster.ConfigurableIOManagerFactory",
        "dagster.ConfigurableResourceFactory",
        "dagster.IOManager",
        "dagster.UPathIOManager",
    }
)
CONFIG_BASES = frozenset({"dagster.Config", "dagster.PermissiveConfig"})


def _public_module(module: str) -> str:
    """`dagster._core.definitions.x` -> `dagster`: Dagster exports its API from the top module."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_"):
            return ".".join(parts[:i])
    return module


def unquote_annotation(annotation: ast.expr | None) -> ast.expr | None:
    """A string annotation (`"MyResource"`) parsed into the expression it stands for."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    return annotation


def names_bound(args: ast.arguments, body: Iterable[ast.AST]) -> frozenset[str]:
    """Names a function binds: its parameters and every name assigned or defined in `body`'s nodes."""
    bound = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    bound.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for node in body:  # every node of a body passes here: exact types, not isinstance
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                bound.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
            bound.add(node.name)  # type: ignore[attr-defined]
        elif kind is ast.arg:
            bound.add(node.arg)  # type: ignore[attr-defined]
    return frozenset(bound)


def is_resource_annotation(model: ModuleModel, annotation: ast.expr | None) -> bool:
    """Whether a parameter annotation makes Dagster inject a resource rather than load an input."""
    annotation = unquote_annotation(annotation)
    if annotation is None:
        return False
    if isinstance(annotation, ast.Subscript):
        name = model.qualname(annotation.value)
        if name == "dagster.ResourceParam":
            return True
        if name in ("typing.Annotated", "typing_extensions.Annotated"):
            return False
        annotation = annotation.value
    if isinstance(annotation, ast.Name) and annotation.id in model.resource_class_names:
        return True
    if not isinstance(annotation, (ast.Name, ast.Attribute)):
        return False
    name = model.qualname(annotation) or ""
    last = annotation.attr if isinstance(annotation, ast.Attribute) else annotation.id
    if name.split(".")[0].startswith("dagster"):
        # Dagster and its integrations: SnowflakeResource, S3Resource, PipesSubprocessClient...
        return last.endswith(("Resource", "IOManager", "Client"))
    # A class from elsewhere in the project: its name is the only static evidence.
    return last.endswith(("Resource", "IOManager"))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(source: str) -> list[str]:
    """Lines numbered as `ast` numbers them (form feeds and other separators do not break lines)."""
    if "\r" not in source:
        return source.split("\n")  # the same lines, several times faster than the pattern
    return _LINE_BREAK.split(source)


def literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def call_kwargs(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


@dataclass(eq=False)
class Definition:
    """A decorated function that Dagster turns into a definition."""

    kind: str
    decorator: str  # folded qualified name, e.g. "dagster.asset"
    node: ast.FunctionDef | ast.AsyncFunctionDef
    decorator_node: ast.expr
    call: ast.Call | None  # the decorator call, None for a bare `@asset`
    module: ModuleModel
    nested: bool  # defined inside another function (a factory)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def line(self) -> int:
        return self.node.lineno

    @cached_property
    def kwargs(self) -> dict[str, ast.expr]:
        return call_kwargs(self.call) if self.call is not None else {}

    @cached_property
    def params(self) -> list[ast.arg]:
        args = self.node.args
        return [*args.posonlyargs, *args.args, *args.kwonlyargs]

    @cached_property
    def context_param(self) -> ast.arg | None:
        positional = [*self.node.args.posonlyargs, *self.node.args.args]
        if positional and positional[0].arg in CONTEXT_NAMES:
            return positional[0]
        return None

    @cached_property
    def body_nodes(self) -> list[ast.AST]:
        """Every node of the body, nested functions included (a slice of the module's one walk)."""
        return self.module.body_nodes(self.node)

    @cached_property
    def local_names(self) -> frozenset[str]:
        """Names bound inside the function: they shadow module-level imports."""
        return names_bound(self.node.args, self.body_nodes)

    @cached_property
    def calls(self) -> list[tuple[str | None, ast.Call]]:
        """Calls in the body, with the qualified name each resolves to (None when unknown)."""
        return [
            (self.module.qualname(n.func, self), n) for n in self.body_nodes if isinstance(n, ast.Call)
        ]

    @cached_property
    def loaded_names(self) -> frozenset[str]:
        return frozenset(
            n.id for n in self.body_nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        )

    @cached_property
    def is_stub(self) -> bool:
        """A body that is only a docstring, `...`, `pass` or `raise NotImplementedError`."""
        for stmt in self.node.body:
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue
            if isinstance(stmt, ast.Raise) and stmt.exc is not None:
                exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
                if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                    continue
            return False
        return True

    @property
    def is_compute(self) -> bool:
        return self.kind in COMPUTE_KINDS

    @property
    def is_asset(self) -> bool:
        return self.kind in ASSET_KINDS

    def kwarg(self, name: str) -> ast.expr | None:
        return self.kwargs.get(name)

    def has_docstring(self) -> bool:
        return ast.get_docstring(self.node, clean=False) is not None


@dataclass(eq=False)
class ClassInfo:
    node: ast.ClassDef
    bases: list[str]  # folded qualified names of the bases that resolve
    kind: str | None = None  # "resource", "config" or None


@dataclass(eq=False)
class ModuleModel:
    path: str
    tree: ast.Module
    source: str
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)  # modules of `from x import *`
    definitions: list[Definition] = field(default_factory=list)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)
    calls: dict[str, list[ast.Call]] = field(default_factory=dict)  # by resolved name
    all_calls: list[ast.Call] = field(default_factory=list)  # every call, in source order
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=list)  # every def
    project: object | None = None  # the ProjectIndex view, set by the engine when a project rule runs
    nodes: list[ast.AST] = field(default_factory=list)  # every node of the module, from the one walk
    _by_type: defaultdict[type, list[ast.AST]] = field(default_factory=lambda: defaultdict(list))  # the same, by type
    _parents: dict[int, ast.AST] = field(default_factory=dict)
    _body_spans: dict[int, list[int]] = field(default_factory=dict)  # def -> [start, end) in `nodes`

    def release(self) -> None:
        """Break the cycle between the model and its definitions once the rules are done: the
        model and its tree are then freed as soon as the caller drops them. Left to the cycle
        collector, every tree of a run would stay alive for a while and be scanned again and
        again, which costs about as much as parsing."""
        for d in self.definitions:
            d.module = None  # type: ignore[assignment]
        self.__dict__.pop("_shared", None)  # shared answers may point back at the model

    # ----------------------------------------------------------------- tree queries (no re-walks)
    @property
    def parents(self) -> dict[int, ast.AST]:
        """Parent of every node, by `id(node)`."""
        return self._parents

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parent = self._parents.get(id(node))
        while parent is not None:
            yield parent
            parent = self._parents.get(id(parent))

    def body_nodes(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
        """Every node of a function's body, nested functions included, in walk order."""
        start, end = self._body_spans[id(func)]
        return self.nodes[start:end]

    def nodes_of(self, *types: type) -> list[ast.AST]:
        """Every node of these types in the module, in walk order for each type."""
        out: list[ast.AST] = []
        for t in types:
            if t in _CONCRETE_NODE_TYPES:
                out.extend(self._by_type.get(t, ()))
                continue
            cached = self._by_abstract_type.get(t)
            if cached is None:  # `ast.expr`, `ast.stmt`: filter once, then keep it
                cached = self._by_abstract_type[t] = [n for n in self.nodes if isinstance(n, t)]
            out.extend(cached)
        return out

    @cached_property
    def _by_abstract_type(self) -> dict[type, list[ast.AST]]:
        return {}

    def shared(self, query: Callable[[ModuleModel], T]) -> T:
        """`query(self)`, computed once per module however many rules ask (the function is the
        key): for the costlier questions several rules share. The result must not be changed."""
        memo = self._shared
        if query not in memo:
            memo[query] = query(self)
        return memo[query]

    @cached_property
    def _shared(self) -> dict:
        return {}

    def contains(self, node: ast.AST, kind: type) -> bool:
        """Whether `node` is or holds a node of type `kind` outside the functions, lambdas and
        classes within it: what `walk_no_nested_functions([node])` would find, without a walk.
        The first question for a type marks the enclosing nodes of each node of that type."""
        holders = self._holders.get(kind)
        if holders is None:
            holders = self._holders[kind] = set()
            for found in self.nodes_of(kind):
                current: ast.AST | None = found
                while current is not None and type(current) not in _NESTED_SCOPES and id(current) not in holders:
                    holders.add(id(current))
                    current = self._parents.get(id(current))
        return id(node) in holders

    @cached_property
    def _holders(self) -> dict[type, set[int]]:
        return {}

    def segment(self, node: ast.AST) -> str:
        """The source text of a node, like `ast.get_source_segment` without re-splitting the file."""
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if start is None or end is None:
            return ""
        lines = self.lines[start - 1 : end]
        if not lines:
            return ""
        first = lines[0].encode()
        if start == end:
            return first[node.col_offset : node.end_col_offset].decode(errors="replace")
        last = lines[-1].encode()[: node.end_col_offset].decode(errors="replace")
        return "\n".join([first[node.col_offset :].decode(errors="replace"), *lines[1:-1], last])

    # ----------------------------------------------------------------- name resolution
    def qualname(self, expr: ast.AST, scope: Definition | None = None) -> str | None:
        """The dotted name `expr` refers to through this module's imports, or None.

        `dg.asset` -> "dagster.asset"; `boto3.client` -> "boto3.client"; a name bound inside
        `scope` (a parameter or local assignment) shadows the import and resolves to None.
        """
        # Asked for every call of the module: the root is found before any string is built.
        root = expr
        while type(root) is ast.Attribute:
            root = root.value  # type: ignore[attr-defined]
        if type(root) is not ast.Name:
            return None
        base = self.imports.get(root.id)  # type: ignore[attr-defined]
        if base is None or (scope is not None and root.id in scope.local_names):  # type: ignore[attr-defined]
            return None
        if root is expr:
            return base
        parts: list[str] = []
        while type(expr) is ast.Attribute:
            parts.append(expr.attr)  # type: ignore[attr-defined]
            expr = expr.value  # type: ignore[attr-defined]
        parts.append(base)
        return ".".join(reversed(parts))

    def resolve(self, expr: ast.AST, scope: Definition | None = None) -> str | None:
        """Like `qualname`, for the callee when `expr` is a call."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        return self.qualname(expr, scope)

    def calls_to(self, *names: str) -> Iterator[ast.Call]:
        for name in names:
            yield from self.calls.get(name, ())

    @property
    def uses_dagster(self) -> bool:
        return any(v.split(".")[0].startswith("dagster") for v in self.imports.values())

    def of_kind(self, *kinds: str) -> Iterator[Definition]:
        return (d for d in self.definitions if d.kind in kinds)

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    @cached_property
    def lines(self) -> list[str]:
        return source_lines(self.source)

    @cached_property
    def toplevel_names(self) -> frozenset[str]:
        """Functions and classes defined at module level (they shadow builtins such as print)."""
        return frozenset(
            n.name for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ) | frozenset(self.constants)

    @cached_property
    def resource_class_names(self) -> frozenset[str]:
        return frozenset(name for name, info in self.classes.items() if info.kind == "resource")

    @cached_property
    def is_test_module(self) -> bool:
        return is_test_path(self.path)


def is_test_path(path: str) -> bool:
    """Whether a module is part of a test suite, by its path."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    in_tests_dir = len(parts) > 1 and parts[-2] in ("tests", "test")
    return in_tests_dir or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


_FUNCTION_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
_NESTED_SCOPES = _FUNCTION_TYPES | {ast.ClassDef}
_DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
# Fields that never hold a node: names, flags, and the expression contexts and operators
# (`Load`, `Add`), which are shared singletons in CPython's tree and are neither recorded nor
# given a parent. Skipping them by name saves a getattr and a type test per field per node.
_SCALAR_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "module", "level", "kind", "type_comment",
     "is_async", "conversion", "simple", "kwd_attrs", "rest", "tag"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    t: tuple(f for f in t._fields if f not in _SCALAR_FIELDS and not (t in _DEF_TYPES and f == "body"))
    for t in vars(ast).values()
    if isinstance(t, type) and issubclass(t, AST)
}
_BODY_START, _BODY_END = object(), object()
_POSITION = attrgetter("lineno", "col_offset")
# Classes the parser never produces: the pre-3.8 aliases of `Constant` (Num, Str, ...), which
# Python still defines as its subclasses (by name: asking `ast` for them warns on 3.12 and later).
_DEPRECATED_NODE_NAMES = frozenset({"Num", "Str", "Bytes", "NameConstant", "Ellipsis"})
# Node classes with no (real) subclasses: for them, `type(node)` answers "is it one?".
_CONCRETE_NODE_TYPES = frozenset(
    t for t in vars(ast).values()
    if isinstance(t, type) and issubclass(t, AST) and t.__name__ not in _DEPRECATED_NODE_NAMES
    and all(sub.__name__ in _DEPRECATED_NODE_NAMES for sub in t.__subclasses__())
)


def _child_fields(kind: type) -> tuple[str, ...]:
    """For node classes `ast` does not export by name (none today; a guard for new versions)."""
    fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _SCALAR_FIELDS)
    return fields


def build(tree: ast.Module, source: str, path: str = "<unknown>") -> ModuleModel:
    """Build the model of a parsed module in one walk."""
    model = ModuleModel(path=path, tree=tree, source=source)
    classes: list[ast.ClassDef] = []
    call_nodes: list[ast.Call] = []

    # Every node and its parent are recorded here, so that rules never walk the tree again.
    # The walk pushes children in field order and pops the last first; a def's body is visited
    # last, between two markers, so that it is one slice of `nodes`.
    nodes = model.nodes
    record = nodes.append
    by_type = model._by_type
    parents = model._parents
    body_spans = model._body_spans
    child_fields = _CHILD_FIELDS
    stack: list = [tree]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        kind = type(node)
        if kind is tuple:
            marker, func = node
            if marker is _BODY_START:
                body_spans[id(func)] = [len(nodes), len(nodes)]
            else:
                body_spans[id(func)][1] = len(nodes)
            continue
        record(node)
        by_type[kind].append(node)
        if kind is ast.Name or kind is ast.Constant:
            continue  # no children but contexts
        if kind is ast.Call:
            call_nodes.append(node)
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            model.functions.append(node)
            push((_BODY_END, node))
            for child in reversed(node.body):
                parents[id(child)] = node
                push(child)
            push((_BODY_START, node))
        elif kind is ast.Import or kind is ast.ImportFrom:
            _record_import(model, node)
        elif kind is ast.ClassDef:
            classes.append(node)
        fields = child_fields.get(kind) or _child_fields(kind)
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for child in value:
                    if isinstance(child, AST):
                        parents[id(child)] = node
                        push(child)
            elif isinstance(value, AST):
                parents[id(value)] = node
                push(value)

    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            model.constants[stmt.targets[0].id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            model.constants[stmt.target.id] = stmt.value

    call_nodes.sort(key=_POSITION)
    model.all_calls = call_nodes
    for call in call_nodes:
        name = model.qualname(call.func)
        if name is not None:
            model.calls.setdefault(name, []).append(call)

    _collect_classes(model, classes)

    for func in model.functions:
        if not func.decorator_list:
            continue
        nested = any(type(scope) in _FUNCTION_TYPES for scope in model.ancestors(func))
        for decorator in func.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = model.qualname(target)
            kind = decorator_kind(name)
            if kind is None:
                continue
            model.definitions.append(
                Definition(
                    kind=kind,
                    decorator=name or "",
                    node=func,
                    decorator_node=decorator,
                    call=decorator if isinstance(decorator, ast.Call) else None,
                    module=model,
                    nested=nested,
                )
            )
            break
    model.definitions.sort(key=lambda d: (d.node.lineno, d.node.col_offset))
    return model


def _record_import(model: ModuleModel, node: ast.Import | ast.ImportFrom) -> None:
    if type(node) is ast.Import:
        for alias in node.names:
            if alias.asname:
                model.imports[alias.asname] = alias.name
            else:
                root = alias.name.split(".")[0]
                model.imports.setdefault(root, root)
        return
    # Relative imports keep their leading dots; the project index resolves them.
    module = "." * node.level + (node.module or "")
    if node.level == 0 and module.startswith("dagster"):
        module = _public_module(module)
    for alias in node.names:
        if alias.name == "*":
            model.star_imports.append(module)
        elif module:
            sep = "" if module.endswith(".") else "."
            model.imports[alias.asname or alias.name] = f"{module}{sep}{alias.name}"


def _collect_classes(model: ModuleModel, classes: list[ast.ClassDef]) -> None:
    for cls in sorted(classes, key=lambda c: c.lineno):
        bases = [b for b in (model.qualname(base) for base in cls.bases) if b]
        info = ClassInfo(node=cls, bases=bases)
        local_bases = [model.classes[b.id] for b in cls.bases if isinstance(b, ast.Name) and b.id in model.classes]
        if any(b in RESOURCE_BASES for b in bases) or any(i.kind == "resource" for i in local_bases):
            info.kind = "resource"
        elif any(b in CONFIG_BASES for b in bases) or any(i.kind == "config" for i in local_bases):
            info.kind = "config"
        model.classes[cls.name] = info
