"""Asset keys a module produces and references, resolved from source as Dagster would.

`@asset def orders` produces `orders`; `key_prefix=["shop"]` makes it `shop/orders`;
`deps=["raw_orders"]`, `AssetIn(key=...)`, `AssetDep(...)` and plain parameters reference keys.
Anything whose key cannot be read from literals is reported as opaque, with the reason, so
project rules stay silent instead of guessing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from dagster_lint.model import Definition, ModuleModel, is_resource_annotation, literal_str

Key = tuple[str, ...]

_ASSET_KEY = "dagster.AssetKey"
_ASSET_SPEC = "dagster.AssetSpec"
_SOURCE_ASSET = "dagster.SourceAsset"
_ASSET_DEP = "dagster.AssetDep"
_ASSET_IN = "dagster.AssetIn"
_ASSET_OUT = "dagster.AssetOut"
_CHECK_SPEC = "dagster.AssetCheckSpec"


def show(key: Key) -> str:
    return "/".join(key)


@dataclass(frozen=True)
class Produced:
    key: Key
    line: int
    col: int
    owner: str  # the function or variable that defines it
    external: bool = False  # AssetSpec / SourceAsset declared outside a multi-asset: a known external key


@dataclass(frozen=True)
class Reference:
    """A key an asset or check depends on. `symbol` is set when it names a Python object
    (`deps=[raw_orders]`) defined in another module: the project index resolves it."""

    key: Key | None
    line: int
    col: int
    owner: str
    via: str  # "deps", "ins", "parameter", "check"
    symbol: str | None = None
    annotation: str | None = None  # a parameter's type, by its last name: a project resource class?


@dataclass(frozen=True)
class Opaque:
    reason: str
    line: int


@dataclass
class ModuleKeys:
    produced: list[Produced]
    references: list[Reference]
    opaque: list[Opaque]
    # Python names bound at module level to a produced key (`orders` -> ("orders",)).
    names: dict[str, Key]
    resource_classes: list[str]  # ConfigurableResource subclasses defined here
    defines_definitions: bool  # builds `Definitions` (or a defs folder / repository): a code location
    loads_defs_folder: bool  # `load_from_defs_folder`: the location loads only its `defs/` directory

def literal_key(model: ModuleModel, expr: ast.expr | None) -> Key | None:
    """The key an expression coerces to, when it is made of literals."""
    if expr is None:
        return None
    text = literal_str(expr)
    if text is not None:
        return (text,)
    if isinstance(expr, (ast.List, ast.Tuple)):
        parts = [literal_str(e) for e in expr.elts]
        return tuple(parts) if parts and all(p is not None for p in parts) else None
    if isinstance(expr, ast.Call):
        name = model.qualname(expr.func)
        if name == _ASSET_KEY and len(expr.args) == 1 and not expr.keywords:
            return literal_key(model, expr.args[0])
        if name == f"{_ASSET_KEY}.from_user_string" and len(expr.args) == 1:
            text = literal_str(expr.args[0])
            return tuple(text.split("/")) if text else None
    return None


def literal_prefix(model: ModuleModel, expr: ast.expr | None) -> Key | None:
    if expr is None:
        return ()
    return literal_key(model, expr)


def _string_list(model: ModuleModel, expr: ast.expr | None) -> list[ast.expr] | None:
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return list(expr.elts)
    if isinstance(expr, ast.Name) and expr.id in model.constants:
        return _string_list(model, model.constants[expr.id])
    return None


def analyse(model: ModuleModel) -> ModuleKeys:
    out = ModuleKeys(
        produced=[],
        references=[],
        opaque=[],
        names={},
        resource_classes=sorted(name for name, info in model.classes.items() if info.kind == "resource"),
        defines_definitions=any(
            True
            for _ in model.calls_to("dagster.Definitions", "dagster.load_from_defs_folder", "dagster.Definitions.merge")
        )
        or any(model.of_kind("definitions", "repository")),
        loads_defs_folder=any(True for _ in model.calls_to("dagster.load_from_defs_folder")),
    )
    in_decorators: set[int] = set()
    for d in model.definitions:
        if d.call is not None:
            in_decorators.update(id(n) for n in ast.walk(d.call))
        if d.kind == "multi_asset" or d.decorator == "dagster.graph_multi_asset":
            _multi_asset(model, d, out)
        elif d.kind in ("asset", "graph_asset", "observable_source_asset"):
            _single_asset(model, d, out)
        elif d.kind == "integration_assets":
            short = d.decorator.rsplit(".", 1)[-1]
            out.opaque.append(Opaque(f"`@{short}` (keys come from the integration, not from Python source)", d.line))
        elif d.kind == "asset_check":
            _check_targets(model, d, out)
    for name in (_ASSET_SPEC, _SOURCE_ASSET):
        for call in model.calls_to(name):
            if id(call) in in_decorators:
                continue
            key = literal_key(model, call.args[0] if call.args else _kw(call, "key"))
            if key is None:
                out.opaque.append(Opaque(f"`{name.split('.')[-1]}` with a computed key", call.lineno))
                continue
            owner = _assigned_name(model, call) or show(key)
            out.produced.append(Produced(key, call.lineno, call.col_offset, owner, external=True))
            if owner in model.constants:
                out.names[owner] = key
            if name == _ASSET_SPEC:
                _deps(model, _kw(call, "deps"), owner, out)
    # The index reads every file of the project, so loading modules or packages hides no key,
    # unless the loader renames what it loads.
    for name in (
        "dagster.load_assets_from_modules",
        "dagster.load_assets_from_current_module",
        "dagster.load_assets_from_package_module",
        "dagster.load_assets_from_package_name",
    ):
        for call in model.calls_to(name):
            if any(kw.arg in ("key_prefix", None) for kw in call.keywords):
                out.opaque.append(Opaque(f"`{name.split('.')[-1]}(key_prefix=...)` renames the assets it loads", call.lineno))
    for name, calls in model.calls.items():
        if name.startswith("dagster_") and "assets" in name.rsplit(".", 1)[-1]:
            for call in calls:
                out.opaque.append(Opaque(f"`{name.rsplit('.', 1)[-1]}` builds assets from an integration", call.lineno))
    for name in ("dagster.load_from_defs_folder", "dagster.components.load_defs", "dagster.load_defs"):
        for call in model.calls_to(name):
            out.opaque.append(Opaque("components / defs folder (definitions may come from YAML)", call.lineno))
    return out


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _assigned_name(model: ModuleModel, call: ast.Call) -> str | None:
    for name, value in model.constants.items():
        if value is call:
            return name
    return None


def _single_asset(model: ModuleModel, d: Definition, out: ModuleKeys) -> None:
    if d.nested:
        out.opaque.append(Opaque(f"asset factory: `{d.name}` is defined inside a function", d.line))
        return
    if d.call is not None and any(kw.arg is None for kw in d.call.keywords):
        out.opaque.append(Opaque(f"`{d.name}` takes its arguments from `**kwargs`", d.line))
        return
    key_expr = d.kwarg("key")
    if key_expr is not None:
        key = literal_key(model, key_expr)
    else:
        prefix = literal_prefix(model, d.kwarg("key_prefix"))
        name = literal_str(d.kwarg("name")) if d.kwarg("name") is not None else d.name
        key = prefix + (name,) if prefix is not None and name is not None else None
    if key is None:
        out.opaque.append(Opaque(f"`{d.name}` has a computed key", d.line))
        return
    out.produced.append(Produced(key, d.line, d.node.col_offset, d.name))
    out.names[d.name] = key
    _inputs(model, d, out)
    _deps(model, d.kwarg("deps"), d.name, out)


def _multi_asset(model: ModuleModel, d: Definition, out: ModuleKeys) -> None:
    if d.nested:
        out.opaque.append(Opaque(f"asset factory: `{d.name}` is defined inside a function", d.line))
        return
    outs, specs = d.kwarg("outs"), d.kwarg("specs")
    produced: list[Key] = []
    if isinstance(outs, ast.Dict):
        for k, v in zip(outs.keys, outs.values):
            name = literal_str(k)
            key = None
            if name is not None and isinstance(v, ast.Call) and model.qualname(v.func) == _ASSET_OUT:
                key_expr = _kw(v, "key")
                if key_expr is not None:
                    key = literal_key(model, key_expr)
                else:
                    prefix = literal_prefix(model, _kw(v, "key_prefix"))
                    key = prefix + (name,) if prefix is not None else None
            if key is None:
                out.opaque.append(Opaque(f"`{d.name}` has an output with a computed key", d.line))
                return
            produced.append(key)
    elif outs is not None:
        out.opaque.append(Opaque(f"`{d.name}` builds its `outs` at run time", d.line))
        return
    spec_exprs = _string_list(model, specs) if specs is not None else []
    if spec_exprs is None:
        out.opaque.append(Opaque(f"`{d.name}` builds its `specs` at run time", d.line))
        return
    for spec in spec_exprs:
        if isinstance(spec, ast.Name) and spec.id in model.constants:
            spec = model.constants[spec.id]
        if not (isinstance(spec, ast.Call) and model.qualname(spec.func) == _ASSET_SPEC):
            out.opaque.append(Opaque(f"`{d.name}` has a spec that is not a literal `AssetSpec`", d.line))
            return
        key = literal_key(model, spec.args[0] if spec.args else _kw(spec, "key"))
        if key is None:
            out.opaque.append(Opaque(f"`{d.name}` has a spec with a computed key", d.line))
            return
        produced.append(key)
        _deps(model, _kw(spec, "deps"), d.name, out)
    for key in produced:
        out.produced.append(Produced(key, d.line, d.node.col_offset, d.name))
    _inputs(model, d, out)
    _deps(model, d.kwarg("deps"), d.name, out)


def _inputs(model: ModuleModel, d: Definition, out: ModuleKeys) -> None:
    """Parameters (and `ins=`) that name an upstream asset."""
    ins = d.kwarg("ins")
    explicit: dict[str, ast.expr] = {}
    if isinstance(ins, ast.Dict):
        explicit = {literal_str(k): v for k, v in zip(ins.keys, ins.values) if literal_str(k)}
    elif ins is not None:
        return  # computed ins: nothing to say
    positional = [*d.node.args.posonlyargs, *d.node.args.args]
    for param in positional:
        if param is d.context_param or param.arg == "config" or is_resource_annotation(model, param.annotation):
            continue
        spec = explicit.get(param.arg)
        key: Key | None = (param.arg,)
        at: ast.AST = param
        if isinstance(spec, ast.Call) and model.qualname(spec.func) == _ASSET_IN:
            at = spec
            key_expr = _kw(spec, "key") or (spec.args[0] if spec.args else None)
            if key_expr is not None:
                key = literal_key(model, key_expr)
            elif _kw(spec, "key_prefix") is not None:
                prefix = literal_prefix(model, _kw(spec, "key_prefix"))
                key = prefix + (param.arg,) if prefix is not None else None
        elif spec is not None:
            key = None
        if key is not None:
            out.references.append(
                Reference(key, at.lineno, at.col_offset, d.name, "parameter" if spec is None else "ins",
                          annotation=_annotation_name(param.annotation))
            )


def _annotation_name(annotation: ast.expr | None) -> str | None:
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rsplit(".", 1)[-1]
    return None


def _deps(model: ModuleModel, deps: ast.expr | None, owner: str, out: ModuleKeys) -> None:
    entries = _string_list(model, deps) if deps is not None else []
    for entry in entries or []:
        target = entry
        if isinstance(entry, ast.Call) and model.qualname(entry.func) == _ASSET_DEP:
            target = entry.args[0] if entry.args else _kw(entry, "asset")
            if target is None:
                continue
        key = literal_key(model, target)
        if key is not None:
            out.references.append(Reference(key, entry.lineno, entry.col_offset, owner, "deps"))
        elif isinstance(target, ast.Name):
            out.references.append(Reference(None, entry.lineno, entry.col_offset, owner, "deps", symbol=target.id))


def _check_targets(model: ModuleModel, d: Definition, out: ModuleKeys) -> None:
    target = d.kwarg("asset")
    if target is None:
        return
    key = literal_key(model, target)
    if key is not None:
        out.references.append(Reference(key, target.lineno, target.col_offset, d.name, "check"))
    elif isinstance(target, ast.Name):
        out.references.append(Reference(None, target.lineno, target.col_offset, d.name, "check", symbol=target.id))
