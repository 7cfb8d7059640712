"""Small queries several rules share."""

from __future__ import annotations

import ast
import re
from ast import AST
from typing import Iterator

from dagster_lint.model import Definition, ModuleModel, is_resource_annotation  # noqa: F401 (shared)
from dagster_lint.registry import Violation

KIND_LABELS = {
    "asset": "asset",
    "multi_asset": "multi-asset",
    "graph_asset": "graph asset",
    "op": "op",
    "asset_check": "asset check",
    "sensor": "sensor",
    "schedule": "schedule",
    "job": "job",
    "graph": "graph",
    "observable_source_asset": "observable source asset",
}


def label(d: Definition) -> str:
    return KIND_LABELS.get(d.kind, d.kind)


def at_def(d: Definition, **args: object) -> Violation:
    """A violation reported on the `def` line, spanning `def name`."""
    node = d.node
    v = Violation(node, line=node.lineno, col=node.col_offset, **args)
    text = d.module.line_text(node.lineno)
    start = text.find(f"def {node.name}", node.col_offset)
    if start >= 0:
        v.end_line = node.lineno
        v.end_col = start + len("def ") + len(node.name)
    return v


def compute_bodies(model: ModuleModel) -> Iterator[Definition]:
    """Definitions whose body runs as a step: assets, multi-assets, ops, asset checks."""
    return (d for d in model.definitions if d.is_compute)


def is_resource_or_config_call(model: ModuleModel, call: ast.Call) -> str | None:
    """The displayed name of a resource/config class a call constructs, or None."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in model.classes and model.classes[func.id].kind:
        return func.id
    name = model.qualname(func)
    if name is None:
        return None
    last = name.rsplit(".", 1)[-1]
    if name.split(".")[0].startswith("dagster") and (
        last.endswith(("Resource", "IOManager", "Config", "Client")) or last == "RunConfig"
    ):
        return last
    return None


def is_none(node: ast.AST | None) -> bool:
    """The literal `None`."""
    return isinstance(node, ast.Constant) and node.value is None


def future_annotations(model: ModuleModel) -> ast.ImportFrom | None:
    """`from __future__ import annotations`, which makes every annotation of the module a string."""
    for stmt in model.tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            if any(alias.name == "annotations" for alias in stmt.names):
                return stmt
    return None


def is_not_shadowed_builtin(d: Definition, name: str) -> bool:
    model = d.module
    return name not in d.local_names and name not in model.imports and name not in model.toplevel_names


def in_script_block(model: ModuleModel, node: ast.AST) -> bool:
    """Inside a module-level `if __name__ == "__main__":`: a local run, not what a deployment loads."""
    line = getattr(node, "lineno", 0)
    for stmt in model.tree.body:
        if (
            isinstance(stmt, ast.If)
            and isinstance(stmt.test, ast.Compare)
            and isinstance(stmt.test.left, ast.Name)
            and stmt.test.left.id == "__name__"
            and stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno)
        ):
            return True
    return False


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def walk_no_nested_functions(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Walk statements without entering nested function or class definitions (the children
    of a node in `ast.iter_child_nodes` order, read without its two generators per node: many
    rules walk bodies this way)."""
    stack: list[ast.AST] = [stmt for stmt in reversed(body) if not isinstance(stmt, _NESTED)]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                if not isinstance(value, _NESTED):
                    push(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, AST) and not isinstance(item, _NESTED):
                        push(item)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


def env_var_name(*parts: str) -> str:
    """A conventional environment variable name: `ShopApi`, `api_key` -> `SHOP_API_KEY`."""
    words: list[str] = []
    for part in parts:
        for word in _NON_WORD.split(_CAMEL.sub("_", part)):
            if word and (not words or words[-1] != word.upper()):
                words.append(word.upper())
    return "_".join(words)
