"""Modules whose assets another module loads into a group, for DAG705.

`dg.load_assets_from_modules([orders], group_name="sales")` puts every asset of `orders` in
`sales`, whatever its decorator says; `load_assets_from_package_module(pkg, group_name=...)` and
`load_assets_from_package_name("pkg", group_name=...)` do the same for every module of a package.
Each load is recorded with the modules as this module's imports name them (`shop.orders`, or
`.orders` for a relative import); the project rule resolves them to files.
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.model import ModuleModel, call_kwargs, literal_str

# Loader -> (keyword and position of what it loads, whether that is a package).
_LOADERS = {
    "dagster.load_assets_from_modules": ("modules", True, False),
    "dagster.load_assets_from_package_module": ("package_module", False, True),
    "dagster.load_assets_from_package_name": ("package_name", False, True),
}


def _module_names(model: ModuleModel, node: ast.expr | None, many: bool) -> list[str]:
    if node is None:
        return []
    elements = node.elts if many and isinstance(node, (ast.List, ast.Tuple)) else [node]
    names = []
    for element in elements:
        name = literal_str(element) or model.qualname(element)
        if name:
            names.append(name)
    return names


@extractor("asset_groups")
def extract(model: ModuleModel) -> list[dict]:
    loads = []
    for qualname, (keyword, many, package) in _LOADERS.items():
        for call in model.calls_to(qualname):
            kwargs = call_kwargs(call)
            # `**kwargs` may carry the group name too.
            if "group_name" not in kwargs and not any(kw.arg is None for kw in call.keywords):
                continue
            target = kwargs.get(keyword, call.args[0] if call.args else None)
            modules = _module_names(model, target, many)
            if modules:
                loads.append({"line": call.lineno, "modules": modules, "package": package})
    return loads
