"""Asset keys a module produces and references, resolved from source as Dagster would.

`@asset def orders` produces `orders`; `key_prefix=["shop"]` makes it `shop/orders`;
`deps=["raw_orders"]`, `AssetIn(key=...)`, `AssetDep(...)` and plain parameters reference keys;
`@asset_check(asset=...)`, `AssetCheckSpec(asset=...)` and the `build_*_checks(assets=[...])`
builders target them. Module-level constants (`PREFIX = ["shop"]`) are read like literals.
Anything whose key cannot be read is reported as opaque, with the reason and, where the source
bounds it (`name=f"raw_{table}"`), the pattern of keys it may produce, so that project rules
stay silent about exactly those keys instead of guessing.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field

from dagster_lint.model import Definition, ModuleModel, is_resource_annotation, literal_str, unquote_annotation

Key = tuple[str, ...]

_ASSET_KEY = "dagster.AssetKey"
_ASSET_SPEC = "dagster.AssetSpec"
_SOURCE_ASSET = "dagster.SourceAsset"
_ASSET_DEP = "dagster.AssetDep"
_ASSET_IN = "dagster.AssetIn"
_ASSET_OUT = "dagster.AssetOut"
_CHECK_SPEC = "dagster.AssetCheckSpec"

# Asset-making decorators that can also be called on a function: `dg.asset(name="x")(fn)`.
_CALLABLE_DECORATORS = frozenset(
    {"dagster.asset", "dagster.multi_asset", "dagster.graph_asset", "dagster.graph_multi_asset"}
)
# Calls that build assets whose keys the source does not spell out.
_OPAQUE_BUILDERS = {
    "dagster.AssetsDefinition": "`AssetsDefinition(...)` built by hand",
    "dagster.AssetsDefinition.from_graph": "`AssetsDefinition.from_graph(...)`",
    "dagster.AssetsDefinition.from_op": "`AssetsDefinition.from_op(...)`",
}
_LOADERS = (
    "dagster.load_assets_from_modules",
    "dagster.load_assets_from_current_module",
    "dagster.load_assets_from_package_module",
    "dagster.load_assets_from_package_name",
)
_COMPONENT_DECORATORS = frozenset({"dagster.component_instance", "dagster.components.component_instance"})
# Methods that rename the assets they are called on, with the keywords that do it (None: `**kwargs`).
_RENAMING_METHODS = {
    "with_attributes": ("asset_key_replacements", "output_asset_key_replacements", None),
    "replace_attributes": ("key", None),
}
# Module-level code that puts objects into a module's namespace at import time.
_DYNAMIC_NAMESPACE = ("globals", "exec", "setattr")


def show(key: Key) -> str:
    return "/".join(key)


@dataclass(frozen=True)
class Produced:
    key: Key
    line: int
    col: int
    owner: str  # the function or variable that defines it
    external: bool = False  # AssetSpec / SourceAsset declared outside a multi-asset: a known external key
    group: str | None = None  # literal `group_name=`; None when not given, "?" when computed


@dataclass(frozen=True)
class Reference:
    """A key an asset or check depends on. `symbol` is set when it names a Python object
    (`deps=[raw_orders]`, `deps=[assets.raw_orders]`): the project index resolves it."""

    key: Key | None
    line: int
    col: int
    owner: str
    via: str  # "deps", "ins", "parameter", "check"
    symbol: str | None = None
    annotation: str | None = None  # a parameter's type, by its last name: a project resource class?
    source: Key | None = None  # the one key of `owner` that depends on it (a multi-asset spec's `deps=`)
    mapped: bool = False  # an explicit `partition_mapping=` on the dependency
    nothing: bool = False  # an input typed `Nothing` (or a `deps=` entry): no value is loaded


@dataclass(frozen=True)
class Opaque:
    """A producer whose keys cannot be read. `pattern` (a regular expression over the
    "/"-joined key) bounds what it may produce; None means any key. `kind` is what it may
    produce: "assets", or "checks" (asset checks on assets it does not name)."""

    reason: str
    line: int
    pattern: str | None = None
    kind: str = "assets"
    origin: str | None = None  # the package of the builder (`dagster_dbt`): the project's own is no integration

    def covers(self, key: Key) -> bool:
        return self.pattern is None or re.fullmatch(self.pattern, show(key)) is not None


@dataclass
class ModuleKeys:
    produced: list[Produced]
    references: list[Reference]
    opaque: list[Opaque]
    # Python names bound at module level to produced keys (`orders` -> [("orders",)]).
    names: dict[str, list[Key]]
    resource_classes: list[str]  # ConfigurableResource subclasses defined here
    config_classes: list[str]  # Config subclasses defined here
    # Other classes by their bases' last names: a base may be a resource or config class of
    # another module, which the project index finds out.
    class_bases: dict[str, list[str]]
    defines_definitions: bool  # builds `Definitions` (or a defs folder / repository): a code location
    loads_defs_folder: bool  # `load_from_defs_folder`: the location loads only its `defs/` directory
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name, Dagster's left out
    star_imports: list[str] = field(default_factory=list)
    constants: dict[str, object] = field(default_factory=dict)  # literal str / list-of-str module constants


# ----------------------------------------------------------------------------- literals


def binding_counts(model: ModuleModel) -> Counter:
    """How often each name is bound by module-level statements (through `if`/`try`/`with`):
    a name bound once, by an assignment, is a constant."""
    counts: Counter = Counter()

    def visit(stmts: list) -> None:
        for stmt in stmts:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                counts[stmt.name] += 1
                continue
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    counts[(alias.asname or alias.name).split(".")[0]] += 1
                continue
            targets: list = []
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets = [stmt.target]
            elif isinstance(stmt, ast.AugAssign):
                targets = [stmt.target, stmt.target]  # a rebinding: never a constant
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                targets = [stmt.target]
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        counts[node.id] += 1
            for name in ("body", "orelse", "finalbody"):
                visit(getattr(stmt, name, []))
            for handler in getattr(stmt, "handlers", []):
                visit(handler.body)

    visit(model.tree.body)
    return counts


class Literals:
    """Reads literal values of one module, following its module-level constants. One per
    module: `Literals(model)` returns the same reader to every extractor."""

    def __new__(cls, model: ModuleModel):
        return model.shared(cls._reader)

    @classmethod
    def _reader(cls, model: ModuleModel) -> Literals:
        reader = super().__new__(cls)
        reader.model = model
        reader._counts = binding_counts(model)
        return reader

    def constant(self, name: str) -> ast.expr | None:
        """The value of a module-level name bound exactly once, by an assignment."""
        if self._counts.get(name) != 1 or name in self.model.imports:
            return None
        return self.model.constants.get(name)

    def value(self, expr: ast.expr | None, depth: int = 0) -> str | list[str] | None:
        """A string or list of strings the expression evaluates to, else None."""
        if expr is None or depth > 8:
            return None
        if isinstance(expr, ast.Constant):
            return expr.value if isinstance(expr.value, str) else None
        if isinstance(expr, ast.Name):
            return self.value(self.constant(expr.id), depth + 1)
        if isinstance(expr, (ast.List, ast.Tuple)):
            parts: list[str] = []
            for elt in expr.elts:
                if isinstance(elt, ast.Starred):
                    inner = self.value(elt.value, depth + 1)
                    if not isinstance(inner, list):
                        return None
                    parts.extend(inner)
                    continue
                text = self.value(elt, depth + 1)
                if not isinstance(text, str):
                    return None
                parts.append(text)
            return parts
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left, right = self.value(expr.left, depth + 1), self.value(expr.right, depth + 1)
            if type(left) is type(right) and left is not None:
                return left + right  # type: ignore[operator]
            return None
        if isinstance(expr, ast.Call):
            name = self.model.qualname(expr.func)
            if name == _ASSET_KEY and len(expr.args) == 1 and not expr.keywords:
                inner = self.value(expr.args[0], depth + 1)
                return [inner] if isinstance(inner, str) else inner
            if name == f"{_ASSET_KEY}.from_user_string" and len(expr.args) == 1:
                text = self.value(expr.args[0], depth + 1)
                return text.split("/") if isinstance(text, str) else None
        return None

    def key(self, expr: ast.expr | None) -> Key | None:
        """The key an expression coerces to (`"a"`, `["a", "b"]`, `AssetKey(...)`), when literal.

        Dagster does not split strings on "/" here: `"a/b"` is the one-part key `a/b`.
        """
        value = self.value(expr)
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and value:
            return tuple(value)
        return None

    def prefix(self, expr: ast.expr | None) -> Key | None:
        if expr is None:
            return ()
        value = self.value(expr)
        if isinstance(value, str):
            return (value,)
        return tuple(value) if isinstance(value, list) else None

    def sequence(self, expr: ast.expr | None, depth: int = 0) -> list[ast.expr] | None:
        """The elements of a literal list/tuple/set (through module constants and `+`)."""
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            out: list[ast.expr] = []
            for elt in expr.elts:
                if isinstance(elt, ast.Starred):
                    inner = self.sequence(elt.value, depth + 1)
                    if inner is None:
                        return None
                    out.extend(inner)
                else:
                    out.append(elt)
            return out
        if depth > 8:
            return None
        if isinstance(expr, ast.Name):
            return self.sequence(self.constant(expr.id), depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left, right = self.sequence(expr.left, depth + 1), self.sequence(expr.right, depth + 1)
            return left + right if left is not None and right is not None else None
        return None

    # ------------------------------------------------------------ patterns for opaque producers
    def part_pattern(self, expr: ast.expr | None) -> str:
        text = self.value(expr) if expr is not None else None
        if isinstance(text, str):
            return re.escape(text)
        if isinstance(expr, ast.JoinedStr):
            pieces = [re.escape(v.value) if isinstance(v, ast.Constant) else ".*" for v in expr.values]
            return "".join(pieces) or ".*"
        return ".+"

    def key_pattern(self, expr: ast.expr | None) -> str:
        value = self.value(expr)
        if isinstance(value, str):
            return re.escape(value)
        if isinstance(value, list):
            return "/".join(map(re.escape, value))
        if isinstance(expr, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in expr.elts):
            return "/".join(self.part_pattern(e) for e in expr.elts)
        if isinstance(expr, ast.Call) and self.model.qualname(expr.func) == _ASSET_KEY and len(expr.args) == 1:
            return self.key_pattern(expr.args[0])
        if isinstance(expr, ast.JoinedStr):
            return self.part_pattern(expr)
        return ".+"

    def asset_pattern(self, key: ast.expr | None, name: ast.expr | None, prefix: ast.expr | None, default: str) -> str:
        """The pattern of keys an asset with these (some computed) arguments may have."""
        if key is not None:
            return self.key_pattern(key)
        name_part = self.part_pattern(name) if name is not None else re.escape(default)
        if prefix is None:
            return name_part
        return f"(?:{self.key_pattern(prefix)}/)?{name_part}"


def _bounded(pattern: str) -> str | None:
    """None for a pattern that allows any key."""
    return None if pattern in (".+", ".*", "(?:.+/)?.+") else pattern


# ----------------------------------------------------------------------------- analysis


class _Analysis:
    def __init__(self, model: ModuleModel):
        self.model = model
        self.lit = Literals(model)
        self.out = ModuleKeys(
            produced=[],
            references=[],
            opaque=[],
            names={},
            resource_classes=sorted(name for name, info in model.classes.items() if info.kind == "resource"),
            config_classes=sorted(name for name, info in model.classes.items() if info.kind == "config"),
            class_bases={name: bases for name, info in model.classes.items()
                         if info.kind is None and (bases := _base_names(info.node))},
            defines_definitions=any(
                True for _ in model.calls_to(
                    "dagster.Definitions", "dagster.load_from_defs_folder", "dagster.Definitions.merge")
            )
            or any(model.of_kind("definitions", "repository")),
            loads_defs_folder=any(True for _ in model.calls_to("dagster.load_from_defs_folder")),
            # Dagster's own names never resolve to project modules; `dagster_shop.assets` may.
            imports={k: v for k, v in model.imports.items() if v.split(".")[0] != "dagster"},
            star_imports=[m for m in model.star_imports if m.split(".")[0] != "dagster"],
        )

    def opaque(
        self, reason: str, line: int, pattern: str | None = None, kind: str = "assets", origin: str | None = None
    ) -> None:
        self.out.opaque.append(Opaque(reason, line, _bounded(pattern) if pattern is not None else None, kind, origin))

    def run(self) -> ModuleKeys:
        model, out = self.model, self.out
        in_decorators: set[int] = set()
        for d in model.definitions:
            if d.call is not None:
                in_decorators.update(id(n) for n in ast.walk(d.call))
            if d.kind == "multi_asset" or d.decorator == "dagster.graph_multi_asset":
                self.multi_asset(d)
            elif d.kind in ("asset", "graph_asset", "observable_source_asset"):
                self.single_asset(d)
            elif d.kind == "integration_assets":
                short = d.decorator.rsplit(".", 1)[-1]
                self.opaque(f"`@{short}` (keys come from the integration, not from Python source)", d.line,
                            origin=d.decorator.split(".")[0])
            elif d.kind == "asset_check":
                self.check(d)
        self.specs(in_decorators)
        self.check_specs(in_decorators)
        self.check_builders()
        self.loaders()
        self.builders()
        self.constants()
        return out

    def constants(self) -> None:
        for name in self.model.constants:
            literal = self.lit.value(ast.Name(id=name, ctx=ast.Load()))
            if literal is not None:
                self.out.constants[name] = literal

    # ------------------------------------------------------------------ producers
    def single_asset(self, d: Definition) -> None:
        lit, out = self.lit, self.out
        if d.call is not None and any(kw.arg is None for kw in d.call.keywords):
            if d.nested:
                self.opaque(f"asset factory: `{d.name}` is defined inside a function", d.line)
            else:
                self.opaque(f"`{d.name}` takes its arguments from `**kwargs`", d.line)
            return
        key_expr, name_expr, prefix_expr = d.kwarg("key"), d.kwarg("name"), d.kwarg("key_prefix")
        if key_expr is not None:
            key = lit.key(key_expr)
        else:
            prefix = lit.prefix(prefix_expr)
            name = lit.value(name_expr) if name_expr is not None else d.name
            key = prefix + (name,) if prefix is not None and isinstance(name, str) else None
        if d.nested or key is None:
            pattern = lit.asset_pattern(key_expr, name_expr, prefix_expr, d.name)
            if d.nested:
                self.opaque(f"asset factory: `{d.name}` is defined inside a function", d.line, pattern)
            else:
                self.opaque(f"`{d.name}` has a computed key", d.line, pattern)
            return
        out.produced.append(Produced(key, d.line, d.node.col_offset, d.name, group=self.group(d.kwarg("group_name"))))
        out.names[d.name] = [key]
        self.inputs(d)
        self.deps(d.kwarg("deps"), d.name)

    def multi_asset(self, d: Definition) -> None:
        lit, out = self.lit, self.out
        if d.nested:
            self.opaque(f"asset factory: `{d.name}` is defined inside a function", d.line)
            return
        outs, specs = d.kwarg("outs"), d.kwarg("specs")
        group = self.group(d.kwarg("group_name"))
        produced: list[tuple[Key, str | None]] = []
        if isinstance(outs, ast.Dict):
            for k, v in zip(outs.keys, outs.values):
                name = literal_str(k)
                key = None
                out_group = group
                if name is not None and isinstance(v, ast.Call) and self.model.qualname(v.func) == _ASSET_OUT:
                    key_expr = _kw(v, "key")
                    if key_expr is not None:
                        key = lit.key(key_expr)
                    else:
                        prefix = lit.prefix(_kw(v, "key_prefix"))
                        key = prefix + (name,) if prefix is not None else None
                    if _kw(v, "group_name") is not None:
                        out_group = self.group(_kw(v, "group_name"))
                if key is None:
                    self.opaque(f"`{d.name}` has an output with a computed key", d.line)
                    return
                produced.append((key, out_group))
        elif outs is not None:
            self.opaque(f"`{d.name}` builds its `outs` at run time", d.line)
            return
        spec_exprs = lit.sequence(specs) if specs is not None else []
        if spec_exprs is None:
            self.opaque(f"`{d.name}` builds its `specs` at run time", d.line)
            return
        spec_deps: list[tuple[ast.expr | None, Key]] = []
        for spec in spec_exprs:
            if isinstance(spec, ast.Name) and lit.constant(spec.id) is not None:
                spec = lit.constant(spec.id)
            if not (isinstance(spec, ast.Call) and self.model.qualname(spec.func) == _ASSET_SPEC):
                self.opaque(f"`{d.name}` has a spec that is not a literal `AssetSpec`", d.line)
                return
            key = lit.key(spec.args[0] if spec.args else _kw(spec, "key"))
            if key is None:
                self.opaque(f"`{d.name}` has a spec with a computed key", d.line)
                return
            spec_group = _kw(spec, "group_name")
            produced.append((key, self.group(spec_group) if spec_group is not None else group))
            spec_deps.append((_kw(spec, "deps"), key))
        for key, key_group in produced:
            out.produced.append(Produced(key, d.line, d.node.col_offset, d.name, group=key_group))
        out.names[d.name] = [key for key, _ in produced]
        for deps, key in spec_deps:
            self.deps(deps, d.name, source=key)
        self.inputs(d)
        self.deps(d.kwarg("deps"), d.name)

    def specs(self, in_decorators: set[int]) -> None:
        """`AssetSpec(...)` / `SourceAsset(...)` outside decorators: external assets (or specs a
        `multi_asset(specs=NAME)` takes from a constant, which produce the same keys)."""
        lit, out = self.lit, self.out
        for name in (_ASSET_SPEC, _SOURCE_ASSET):
            for call in self.model.calls_to(name):
                if id(call) in in_decorators:
                    continue
                key_expr = call.args[0] if call.args else _kw(call, "key")
                key = lit.key(key_expr)
                if key is None:
                    short = name.split(".")[-1]
                    self.opaque(f"`{short}` with a computed key", call.lineno, lit.key_pattern(key_expr))
                    continue
                owner = _assigned_name(self.model, call) or show(key)
                group = self.group(_kw(call, "group_name"))
                out.produced.append(Produced(key, call.lineno, call.col_offset, owner, external=True, group=group))
                if owner in self.model.constants:
                    out.names[owner] = [key]
                if name == _ASSET_SPEC:
                    self.deps(_kw(call, "deps"), owner, source=key)

    def loaders(self) -> None:
        """The index reads every file of the project, so loading modules or packages hides no
        key, unless the loader renames what it loads."""
        for name in _LOADERS:
            for call in self.model.calls_to(name):
                prefix = _kw(call, "key_prefix")
                short = name.split(".")[-1]
                if any(kw.arg is None for kw in call.keywords):
                    self.opaque(f"`{short}(**kwargs)` may rename the assets it loads", call.lineno)
                elif prefix is not None:
                    self.opaque(
                        f"`{short}(key_prefix=...)` renames the assets it loads", call.lineno,
                        f"{self.lit.key_pattern(prefix)}/.+",
                    )

    def builders(self) -> None:
        model = self.model
        for name, calls in model.calls.items():
            last = name.rsplit(".", 1)[-1]
            if name.startswith("dagster_") and ("asset" in last or last.endswith(("specs", "defs", "components"))):
                for call in calls:
                    self.opaque(f"`{last}` builds assets from an integration", call.lineno, origin=name.split(".")[0])
            elif name in _OPAQUE_BUILDERS:
                for call in calls:
                    self.opaque(_OPAQUE_BUILDERS[name], call.lineno)
        for name in ("dagster.load_from_defs_folder", "dagster.components.load_defs", "dagster.load_defs"):
            for call in model.calls_to(name):
                # Only YAML components are invisible; the index reads the folder's Python files. The
                # index drops this entry when no `defs.yaml`/`component.yaml` lies under the project.
                self.opaque("components / defs folder (definitions may come from YAML)", call.lineno, kind="components")
        for call in model.all_calls:
            if any(kw.arg == "enable_source_tests_as_checks" for kw in call.keywords):
                # dbt tests on sources become checks on the assets the sources stand for.
                self.opaque("dbt source tests as asset checks", call.lineno, kind="checks")
        for function in model.functions:
            for decorator in function.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if model.qualname(target) in _COMPONENT_DECORATORS:
                    self.opaque("`@component_instance` builds definitions at load time", function.lineno)
        for call in model.all_calls:
            func = call.func
            # `dg.asset(name="x")(fn)`: the decorator applied by hand.
            if isinstance(func, ast.Call) and model.qualname(func.func) in _CALLABLE_DECORATORS:
                kwargs = {kw.arg: kw.value for kw in func.keywords if kw.arg}
                pattern = self.lit.asset_pattern(kwargs.get("key"), kwargs.get("name"), kwargs.get("key_prefix"), "")
                named = "key" in kwargs or "name" in kwargs
                self.opaque("an asset decorator applied as a function call", call.lineno, pattern if named else None)
            elif model.qualname(func) in _CALLABLE_DECORATORS and call.args:
                # `dg.asset(fn)`; a constant first argument is no function, so no asset either.
                if not isinstance(call.args[0], ast.Constant):
                    self.opaque("an asset decorator applied as a function call", call.lineno)
            elif isinstance(func, ast.Attribute) and func.attr in _RENAMING_METHODS and any(
                kw.arg in _RENAMING_METHODS[func.attr] for kw in call.keywords
            ):
                self.opaque(f"`.{func.attr}(...)` renames assets", call.lineno)
            elif isinstance(func, ast.Name) and func.id in _DYNAMIC_NAMESPACE and func.id not in model.imports:
                if _writes_namespace(model, call):
                    self.opaque(f"`{func.id}(...)` adds names to the module at import time", call.lineno)
        for stmt in model.tree.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "__getattr__":
                self.opaque("a module-level `__getattr__` makes its attributes at run time", stmt.lineno)

    # ------------------------------------------------------------------ references
    def inputs(self, d: Definition) -> None:
        """Parameters (and `ins=`) that name an upstream asset."""
        model, lit = self.model, self.lit
        ins = d.kwarg("ins")
        explicit: dict[str, ast.expr] = {}
        if isinstance(ins, ast.Dict):
            explicit = {literal_str(k): v for k, v in zip(ins.keys, ins.values) if literal_str(k)}
        elif ins is not None:
            return  # computed ins: nothing to say
        positional = [*d.node.args.posonlyargs, *d.node.args.args]
        for param in positional:
            if param is d.context_param or param.arg == "config" or _not_an_input(model, param.annotation):
                continue
            spec = explicit.get(param.arg)
            key: Key | None = (param.arg,)
            at: ast.AST = param
            mapped = nothing = False
            if isinstance(spec, ast.Call) and model.qualname(spec.func) == _ASSET_IN:
                at = spec
                key_expr = _kw(spec, "key") or (spec.args[0] if spec.args else None)
                if key_expr is not None:
                    key = lit.key(key_expr)
                elif _kw(spec, "key_prefix") is not None:
                    prefix = lit.prefix(_kw(spec, "key_prefix"))
                    key = prefix + (param.arg,) if prefix is not None else None
                mapped = _kw(spec, "partition_mapping") is not None
                dagster_type = _kw(spec, "dagster_type")
                nothing = dagster_type is not None and model.qualname(dagster_type) == "dagster.Nothing"
            elif spec is not None:
                key = None
            if key is not None:
                self.out.references.append(
                    Reference(key, at.lineno, at.col_offset, d.name, "parameter" if spec is None else "ins",
                              annotation=_annotation_name(param.annotation), mapped=mapped, nothing=nothing)
                )

    def deps(self, deps: ast.expr | None, owner: str, source: Key | None = None) -> None:
        entries = self.lit.sequence(deps) if deps is not None else []
        for entry in entries or []:
            target = entry
            mapped = False
            if isinstance(entry, ast.Call) and self.model.qualname(entry.func) == _ASSET_DEP:
                target = entry.args[0] if entry.args else _kw(entry, "asset")
                mapped = _kw(entry, "partition_mapping") is not None
                if target is None or _kw(entry, "metadata") is not None:
                    continue  # Dagster may resolve it by the table name in its metadata
            if isinstance(target, ast.Call) and self.model.qualname(target.func) == _ASSET_SPEC:
                target = target.args[0] if target.args else _kw(target, "key")
            key = self.lit.key(target)
            symbol = _symbol(target) if key is None else None
            if key is not None or symbol is not None:
                self.out.references.append(
                    Reference(key, entry.lineno, entry.col_offset, owner, "deps", symbol=symbol, source=source,
                              mapped=mapped, nothing=True)
                )

    def check_target(self, target: ast.expr | None, owner: str, at: ast.AST, nested: bool = False) -> None:
        if target is None:
            return
        key = self.lit.key(target)
        symbol = _symbol(target) if key is None else None
        if nested or (key is None and symbol is None):
            pattern = self.lit.key_pattern(target)
            self.opaque(f"asset check `{owner}` targets a computed asset", at.lineno, pattern, kind="checks")
            return
        self.out.references.append(Reference(key, target.lineno, target.col_offset, owner, "check", symbol=symbol))

    def check(self, d: Definition) -> None:
        if d.decorator == "dagster.multi_asset_check":
            specs = self.lit.sequence(d.kwarg("specs"))
            if specs is None:
                self.opaque(f"`{d.name}` builds its check specs at run time", d.line, kind="checks")
            return  # its AssetCheckSpec calls are read by check_specs
        self.check_target(d.kwarg("asset"), d.name, d.node, nested=d.nested)

    def check_specs(self, in_decorators: set[int]) -> None:
        """`AssetCheckSpec(name, asset=...)` anywhere: in `check_specs=`, multi-asset checks, constants."""
        for call in self.model.calls_to(_CHECK_SPEC):
            owner = literal_str(call.args[0]) if call.args else literal_str(_kw(call, "name"))
            nested = in_function_body(self.model, call)
            self.check_target(_kw(call, "asset"), owner or "check spec", call, nested=nested)

    def check_builders(self) -> None:
        """`build_last_update_freshness_checks(assets=[...])` and the other `build_*_checks`."""
        for name, calls in self.model.calls.items():
            last = name.rsplit(".", 1)[-1]
            is_builder = last.startswith("build_") and last.endswith("_checks")
            if not (name.split(".")[0].startswith("dagster") and is_builder):
                continue
            if "sensor" in last:
                continue  # `build_sensor_for_freshness_checks` builds a sensor
            for call in calls:
                assets = _kw(call, "assets")
                if assets is None:
                    if "dbt" not in name:
                        self.opaque(f"`{last}(...)` without a literal `assets=` list", call.lineno, kind="checks",
                                    origin=name.split(".")[0])
                    continue
                entries = self.lit.sequence(assets)
                if entries is None or in_function_body(self.model, call):
                    self.opaque(f"`{last}(assets=...)` checks assets it does not list", call.lineno, kind="checks")
                    continue
                owner = _assigned_name(self.model, call) or last
                for entry in entries:
                    self.check_target(entry, owner, entry)

    def group(self, expr: ast.expr | None) -> str | None:
        if expr is None:
            return None
        value = self.lit.value(expr)
        return value if isinstance(value, str) else "?"


def analyse(model: ModuleModel) -> ModuleKeys:
    return _Analysis(model).run()


def names_only(model: ModuleModel) -> ModuleKeys:
    """What a module that never mentions Dagster contributes: the names other modules import
    from it (constants, re-exports)."""
    analysis = _Analysis(model)
    analysis.constants()
    return analysis.out


# ----------------------------------------------------------------------------- helpers


def _base_names(cls: ast.ClassDef) -> list[str]:
    out = []
    for base in cls.bases:
        if isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name) and base.id != "object":
            out.append(base.id)
        elif isinstance(base, ast.Attribute):
            out.append(base.attr)
    return out


def _symbol(expr: ast.expr | None) -> str | None:
    """`raw_orders` -> "raw_orders"; `assets.raw_orders` -> "assets.raw_orders"."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def _not_an_input(model: ModuleModel, annotation: ast.expr | None) -> bool:
    """A parameter Dagster fills with a resource, config or the context, not an upstream value."""
    if is_resource_annotation(model, annotation):
        return True
    annotation = unquote_annotation(annotation)
    if isinstance(annotation, ast.Name) and annotation.id in model.classes:
        return model.classes[annotation.id].kind == "config"
    name = model.qualname(annotation) if annotation is not None else None
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return name.startswith("dagster") and (last.endswith("Context") or last in ("Config", "PermissiveConfig"))


def in_function_body(model: ModuleModel, node: ast.AST) -> bool:
    """Whether `node` runs inside a function body (a decorator of a module-level def does not)."""
    child = node
    for parent in model.ancestors(node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and child not in parent.decorator_list:
            return True
        if isinstance(parent, ast.Lambda):
            return True
        child = parent
    return False


def _at_module_level(model: ModuleModel, node: ast.AST) -> bool:
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    return not any(isinstance(n, scopes) for n in model.ancestors(node))


def _writes_namespace(model: ModuleModel, call: ast.Call) -> bool:
    """`globals()[name] = ...`, `globals().update(...)`, `exec(...)`, a module-level `setattr(...)`:
    names appear in the module at import time that no statement binds."""
    name = call.func.id if isinstance(call.func, ast.Name) else None
    if name == "exec":
        return True
    if name == "setattr":
        return _at_module_level(model, call)
    parent = model.parent(call)
    if isinstance(parent, ast.Subscript):
        return isinstance(parent.ctx, ast.Store)
    if isinstance(parent, ast.Attribute):
        return parent.attr in ("update", "setdefault", "__setitem__")
    return False


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _assigned_name(model: ModuleModel, call: ast.Call) -> str | None:
    for name, value in model.constants.items():
        if value is call:
            return name
    return None


def _annotation_name(annotation: ast.expr | None) -> str | None:
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rsplit(".", 1)[-1]
    return None
