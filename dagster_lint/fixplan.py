"""Fix plans: what a rule asks `dagster-lint --fix` to rewrite, described on the module's `ast`.

A rule that has a mechanical replacement decides next to its detection whether the rewrite is
safe, and yields its finding with `autofix=Fix(...)` (or no fix, and a message that says why).
`dagster_lint.fixes` applies the plans with libcst. Plans are plain data that name `ast` nodes,
so rules need neither libcst nor the source layout; this module never imports libcst.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from dagster_lint.model import ModuleModel

# The edits `dagster_lint.fixes` knows how to apply (see `Edit`).
EDIT_OPS = frozenset(
    {
        "rename_keyword",
        "remove_keyword",
        "replace",
        "unwrap",
        "wrap_set",
        "append_keyword",
        "positional_to_keyword",
        "chain_method",
    }
)


@dataclass(frozen=True, eq=False)
class Ref:
    """How the rewritten code names a Dagster export, and the import that makes the name exist.

    `extend`: add `symbol` to this `from dagster import ...`; `new_import`: add a new
    `from dagster import symbol` after `insert_after` (no anchor: after the module's docstring
    and `__future__` imports). Neither: `text` already names the export (`dg.AssetSpec`).
    """

    symbol: str
    text: str
    extend: ast.ImportFrom | None = None
    insert_after: ast.stmt | None = None
    new_import: bool = False


@dataclass(frozen=True, eq=False)
class Edit:
    """One change to one node of the module's `ast`.

    ops: `rename_keyword` (node: keyword, text: new name), `remove_keyword` (node: keyword),
    `replace` (node: expr, text: expression with `{ref}`), `unwrap` (node: expr, other: the
    sub-expression that replaces it), `wrap_set` (node: expr -> `{expr}`), `append_keyword`
    (node: call, text: name, value: source of the value), `positional_to_keyword` (node: call,
    index, text: name), `chain_method` (node: call, text: method, other: the keyword whose value
    moves into `.method(value)`).
    """

    op: str
    node: ast.AST
    text: str = ""
    ref: Ref | None = None
    other: ast.AST | None = None
    index: int = -1
    value: str = ""

    def __post_init__(self) -> None:
        if self.op not in EDIT_OPS:
            raise ValueError(f"unknown edit {self.op!r}")


@dataclass(frozen=True, eq=False)
class Fix:
    """The edits of one finding.

    `unused`: local names the replaced code imported; the applier removes them from their
    `from ... import` when nothing in the fixed module uses them any more.
    """

    edits: tuple[Edit, ...]
    unused: tuple[str, ...] = field(default=())


# What a finding read back from the findings cache carries for its fix: the plan (ast nodes)
# is not stored, only that there was one, so the finding still shows as fixable. `--fix`
# lints afresh and never sees it; applied by mistake, it changes nothing.
CACHED_FIX = Fix(edits=())


def not_fixed(reason: str) -> str:
    """The message suffix of a finding whose rewrite is not safe."""
    return f" (not fixed automatically: {reason})"


def binding_import(model: ModuleModel, name: str) -> ast.Import | ast.ImportFrom | None:
    """The import statement that binds `name` in the module, if any."""
    for stmt in model.nodes_of(ast.Import, ast.ImportFrom):
        for alias in stmt.names:  # type: ignore[attr-defined]
            local = alias.asname or (alias.name.split(".")[0] if isinstance(stmt, ast.Import) else alias.name)
            if local == name:
                return stmt  # type: ignore[return-value]
    return None


def old_import_name(model: ModuleModel, ref_node: ast.expr) -> tuple[str, ...]:
    """The local name a replaced reference used, when the fix may leave its import unused."""
    if isinstance(ref_node, ast.Name) and isinstance(binding_import(model, ref_node.id), ast.ImportFrom):
        return (ref_node.id,)
    return ()


def _names_in_use(model: ModuleModel) -> set[str]:
    """Every name the module binds or reads, anywhere (a new import must not collide with any)."""
    names = set(model.imports)
    names.update(n.id for n in model.nodes_of(ast.Name))  # type: ignore[attr-defined]
    names.update(a.arg for a in model.nodes_of(ast.arg))  # type: ignore[attr-defined]
    names.update(f.name for f in model.functions)
    names.update(model.classes)
    return names


def _is_toplevel(model: ModuleModel, stmt: ast.AST | None) -> bool:
    return stmt is not None and model.parent(stmt) is model.tree


def _is_dagster_import(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.ImportFrom):
        return stmt.level == 0 and (stmt.module or "").split(".")[0] == "dagster"
    return isinstance(stmt, ast.Import) and any(a.name.split(".")[0] == "dagster" for a in stmt.names)


def dagster_ref(model: ModuleModel, symbol: str, hint: ast.expr | None) -> Ref | str:
    """How to name `dagster.<symbol>` in this module, in the style the module already uses.

    `hint` is the reference being replaced (`dg.SourceAsset`, `SourceAsset`): `dg.X` stays
    `dg.Y`; a name from `from dagster import X` gets `Y` added to that import. Otherwise the
    module's `import dagster as dg` / `import dagster` is used, or its `from dagster import ...`
    is extended, or a new `from dagster import Y` is added next to the module's Dagster imports.
    Returns the reason when there is no safe way (the bare name is taken by something else).
    """
    qualified = f"dagster.{symbol}"
    if isinstance(hint, ast.Attribute) and isinstance(hint.value, ast.Name):
        if model.imports.get(hint.value.id) == "dagster":
            return Ref(symbol, f"{hint.value.id}.{symbol}")
    old_stmt = binding_import(model, hint.id) if isinstance(hint, ast.Name) else None
    for local, target in model.imports.items():
        if target == qualified:
            stmt = binding_import(model, local)
            if stmt is not None and (stmt is old_stmt or _is_toplevel(model, stmt)):
                return Ref(symbol, local)
    free = symbol not in _names_in_use(model)
    if free and isinstance(old_stmt, ast.ImportFrom) and old_stmt.level == 0 and old_stmt.module == "dagster":
        return Ref(symbol, symbol, extend=old_stmt)
    for local, target in model.imports.items():
        if target == "dagster":
            stmt = binding_import(model, local)
            if isinstance(stmt, ast.Import) and _is_toplevel(model, stmt):
                return Ref(symbol, f"{local}.{symbol}")
    if not free:
        return f"`{symbol}` already names something else in this module"
    for stmt in model.tree.body:
        if (
            isinstance(stmt, ast.ImportFrom)
            and stmt.level == 0
            and stmt.module == "dagster"
            and not any(a.name == "*" for a in stmt.names)
        ):
            return Ref(symbol, symbol, extend=stmt)
    anchor = old_stmt if _is_toplevel(model, old_stmt) else None
    if anchor is None:
        # Beside the module's Dagster imports, where an import sorter would put it.
        imports = [s for s in model.tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
        dagster_imports = [s for s in imports if _is_dagster_import(s)]
        anchor = (dagster_imports or imports or [None])[-1]
    return Ref(symbol, symbol, insert_after=anchor, new_import=True)
