"""What the project's tests exercise: for DAG507.

In a test module: the Python names imported from elsewhere that it uses (an asset passed to
`materialize([...])`, called directly, handed to `build_asset_context` code), the modules it
loads assets from, and whether it runs a whole `Definitions` or job (then it may test
anything).
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.facts.definitions import ASSET_LOADERS, EVERYTHING_LOADERS
from dagster_lint.model import ModuleModel

# Calls that run assets a test does not name one by one.
_WHOLESALE = ("execute_in_process", "get_job_def", "resolve_job_def", "get_implicit_global_asset_job_def",
              "resolve_implicit_global_asset_job_def", "materialize_to_memory", "materialize")


@extractor("tests")
def extract(model: ModuleModel) -> dict:
    if not model.is_test_module:
        return {}
    imported = {name for name, target in model.imports.items() if target.split(".")[0] != "dagster"}
    uses: set[str] = set()
    for node in model.nodes_of(ast.Name, ast.Attribute):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported:
            uses.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported:
            uses.add(f"{node.value.id}.{node.attr}")
    modules: list[str] = []
    wholesale = False
    for func in (*ASSET_LOADERS, *EVERYTHING_LOADERS):
        for call in model.calls_to(func):
            args = call.args[0] if call.args else None
            elements = args.elts if isinstance(args, (ast.List, ast.Tuple)) else [args] if args is not None else []
            names = [model.qualname(e) for e in elements]
            if not names or None in names:
                wholesale = True
            modules.extend(n for n in names if n)
    for call in model.all_calls:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name in ("materialize", "materialize_to_memory"):
            assets = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "assets"), None)
            if not isinstance(assets, (ast.List, ast.Tuple)) or any(isinstance(e, ast.Starred) for e in assets.elts):
                wholesale = True
        elif name in _WHOLESALE and isinstance(func, ast.Attribute):
            wholesale = True  # a job or Definitions run as a whole
    out: dict = {}
    if uses:
        out["uses"] = sorted(uses)
    if modules:
        out["modules"] = sorted(set(modules))
    if wholesale:
        out["wholesale"] = True
    return out
