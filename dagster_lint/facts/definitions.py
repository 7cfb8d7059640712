"""What feeds `Definitions`: module loaders, the `assets=`/`asset_checks=` of each
`Definitions(...)`, and the asset check objects a module exposes (for DAG505, and for the
groups that loaders assign).

A loader records the modules it loads by their qualified import name (`shop.sources`,
`.ingest`; "" for the module itself); the project index resolves them to files. A feed is the
list of what one keyword receives: loaders, Python names, or why it cannot be read.
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.keys import Literals
from dagster_lint.model import ModuleModel

ASSET_LOADERS = (
    "dagster.load_assets_from_modules",
    "dagster.load_assets_from_current_module",
    "dagster.load_assets_from_package_module",
    "dagster.load_assets_from_package_name",
)
CHECK_LOADERS = (
    "dagster.load_asset_checks_from_modules",
    "dagster.load_asset_checks_from_current_module",
    "dagster.load_asset_checks_from_package_module",
    "dagster.load_asset_checks_from_package_name",
)
# Loaders that bring in every kind of definition a module holds, checks included.
EVERYTHING_LOADERS = (
    "dagster.load_definitions_from_module",
    "dagster.load_definitions_from_modules",
    "dagster.load_definitions_from_current_module",
    "dagster.load_definitions_from_package_module",
    "dagster.load_definitions_from_package_name",
    "dagster.load_from_defs_folder",
)
_CHECK_DECORATORS = ("dagster.asset_check", "dagster.multi_asset_check")


class _Reader:
    def __init__(self, model: ModuleModel):
        self.model = model
        self.lit = Literals(model)
        self.loaders: list[dict] = []
        self._loader_index: dict[int, int] = {}

    def module_name(self, expr: ast.expr) -> str | None:
        """The qualified name of a module object: `sources` after `from shop import sources`."""
        if (
            isinstance(expr, ast.Subscript)
            and isinstance(expr.value, ast.Attribute)
            and expr.value.attr == "modules"
            and isinstance(expr.slice, ast.Name)
            and expr.slice.id == "__name__"
        ):
            return ""  # sys.modules[__name__]
        return self.model.qualname(expr)

    def loader(self, call: ast.Call, func: str) -> int:
        if id(call) in self._loader_index:
            return self._loader_index[id(call)]
        short = func.rsplit(".", 1)[-1]
        modules: list[str] | None
        if short.endswith("current_module"):
            modules = [""]
        elif short.endswith("package_name"):
            name = self.lit.value(call.args[0] if call.args else _kw(call, "package_name"))
            modules = [name] if isinstance(name, str) else None
        elif short.endswith("package_module") or short in ("load_definitions_from_module",):
            target = call.args[0] if call.args else _kw(call, "package_module") or _kw(call, "module")
            name = self.module_name(target) if target is not None else None
            modules = [name] if name is not None else None
        elif short == "load_from_defs_folder":
            modules = None
        else:
            elements = self.lit.sequence(call.args[0] if call.args else _kw(call, "modules"))
            names = [self.module_name(e) for e in elements] if elements is not None else None
            readable = names is not None and all(n is not None for n in names)
            modules = names if readable else None  # type: ignore[assignment]
        group = _kw(call, "group_name")
        group_name = self.lit.value(group) if group is not None else None
        group_value = None if group is None else group_name if isinstance(group_name, str) else "?"
        self.loaders.append(
            {
                "line": call.lineno,
                "col": call.col_offset,
                "func": short,
                "package": "package" in short,
                "modules": modules,
                "group": group_value,
                "checks": func in CHECK_LOADERS or func in EVERYTHING_LOADERS,
                "assets": func in ASSET_LOADERS or func in EVERYTHING_LOADERS,
            }
        )
        self._loader_index[id(call)] = len(self.loaders) - 1
        return len(self.loaders) - 1

    def feed(self, expr: ast.expr | None, depth: int = 0) -> list[dict]:
        """What one keyword of `Definitions(...)` receives, item by item."""
        if expr is None:
            return []
        if depth > 6:
            return [{"opaque": "too deeply nested"}]
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            out: list[dict] = []
            for elt in expr.elts:
                out.extend(self.feed(elt.value if isinstance(elt, ast.Starred) else elt, depth + 1))
            return out
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.feed(expr.left, depth + 1) + self.feed(expr.right, depth + 1)
        if isinstance(expr, ast.Call):
            func = self.model.qualname(expr.func) or ""
            if func in ASSET_LOADERS or func in CHECK_LOADERS or func in EVERYTHING_LOADERS:
                return [{"loader": self.loader(expr, func)}]
            if isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple") and len(expr.args) == 1:
                return self.feed(expr.args[0], depth + 1)
            return [{"opaque": f"`{_short(expr)}`"}]
        if isinstance(expr, ast.Name):
            value = self.lit.constant(expr.id)
            if value is not None:
                return self.feed(value, depth + 1)
            return [{"symbol": expr.id}]
        if isinstance(expr, ast.Attribute):
            parts = []
            node: ast.expr = expr
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name):
                return [{"symbol": ".".join([node.id, *reversed(parts)])}]
        return [{"opaque": f"`{_short(expr)}`"}]


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _short(node: ast.AST, limit: int = 40) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def module_checks(model: ModuleModel, lit: Literals) -> list[dict]:
    """Asset check objects bound at module level, which only check loaders pick up."""
    out = [
        {"name": d.name, "line": d.line}
        for d in model.definitions
        if d.decorator in _CHECK_DECORATORS and not d.nested
    ]
    for name, value in model.constants.items():
        if lit.constant(name) is None or not isinstance(value, ast.Call):
            continue
        func = model.qualname(value.func) or ""
        last = func.rsplit(".", 1)[-1]
        if func.split(".")[0].startswith("dagster") and last.startswith("build_") and last.endswith("checks"):
            out.append({"name": name, "line": value.lineno})
    return out


@extractor("definitions")
def extract(model: ModuleModel) -> dict:
    reader = _Reader(model)
    definitions = []
    for call in model.calls_to("dagster.Definitions"):
        spread = any(kw.arg is None for kw in call.keywords)
        definitions.append(
            {
                "line": call.lineno,
                "col": call.col_offset,
                "assets": reader.feed(_kw(call, "assets")) + ([{"opaque": "`**kwargs`"}] if spread else []),
                "asset_checks": reader.feed(_kw(call, "asset_checks")) + ([{"opaque": "`**kwargs`"}] if spread else []),
                "has_checks": _kw(call, "asset_checks") is not None or spread,
            }
        )
    # Loaders outside `Definitions(...)` still assign groups and may feed one through a name.
    for func in (*ASSET_LOADERS, *CHECK_LOADERS, *EVERYTHING_LOADERS):
        for call in model.calls_to(func):
            reader.loader(call, func)
    out: dict = {}
    if reader.loaders:
        out["loaders"] = reader.loaders  # in the order feeds point into
    if definitions:
        out["definitions"] = definitions
    merged = any(True for _ in model.calls_to("dagster.Definitions.merge"))
    if merged or any(model.of_kind("definitions", "repository")):
        out["merges"] = True
    checks = module_checks(model, reader.lit)
    if checks:
        out["checks"] = checks
    names = {name for name, value in model.constants.items() if isinstance(value, ast.Call)
             and (model.qualname(value.func) or "") in (*ASSET_LOADERS, *CHECK_LOADERS, *EVERYTHING_LOADERS)}
    if names:
        out["loader_names"] = {name: reader.loader(model.constants[name], model.qualname(model.constants[name].func))
                               for name in sorted(names)}
    return out
