"""Layout-keeping edits of libcst comma-separated sequences (call arguments, imported names).

An item added to a sequence is laid out like its neighbours (one per line with a trailing comma,
or all on one line); an item removed takes its separator with it and leaves every comment on
its line in place, as a comment line of its own. Used by `dagster_lint.fixes`.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

import libcst as cst

Item = TypeVar("Item", cst.Arg, cst.ImportAlias)
Whitespace = cst.BaseParenthesizableWhitespace

_NO_SPACE = cst.SimpleWhitespace("")


def has_comment(ws: Whitespace | None) -> bool:
    return isinstance(ws, cst.ParenthesizedWhitespace) and (
        ws.first_line.comment is not None or any(line.comment is not None for line in ws.empty_lines)
    )


def _layout_only(ws: Whitespace) -> Whitespace:
    """`ws` without its comments and blank lines: the line break and indentation only."""
    if isinstance(ws, cst.ParenthesizedWhitespace):
        return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return ws


def _separator(items: Sequence[Item], opening: Whitespace) -> Whitespace:
    """The whitespace the sequence writes after a comma between two items."""
    for item in items[:-1]:
        if isinstance(item.comma, cst.Comma):
            return _layout_only(item.comma.whitespace_after)
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return _layout_only(opening)
    return cst.SimpleWhitespace(" ")


def _after(item: Item, trailing: str | None) -> Whitespace:
    """What follows an item: the whitespace after its comma, or (no comma) after the item."""
    if isinstance(item.comma, cst.Comma):
        return item.comma.whitespace_after
    return getattr(item, trailing) if trailing else _NO_SPACE


def insert_item(
    items: Sequence[Item], index: int, new: Item, opening: Whitespace, *, trailing: str | None = None
) -> list[Item]:
    """`items` with `new` at `index`. `opening`: the whitespace after the opening bracket;
    `trailing`: the item attribute that holds the whitespace after a last item without comma."""
    items = list(items)
    if not items:
        return [new.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    separator = _separator(items, opening)
    if index < len(items):
        items.insert(index, new.with_changes(comma=cst.Comma(whitespace_after=separator)))
        return items
    last = items[-1]
    tail = _after(last, trailing)
    # The old last item keeps the comment on its line; the new one ends the sequence as it ended.
    if isinstance(tail, cst.ParenthesizedWhitespace) and isinstance(separator, cst.ParenthesizedWhitespace):
        head = separator.with_changes(first_line=tail.first_line)
        tail = tail.with_changes(first_line=cst.TrailingWhitespace())
    else:
        head = separator
    if isinstance(last.comma, cst.Comma):
        items[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=head))
        new = new.with_changes(comma=last.comma.with_changes(whitespace_after=tail))
    else:
        changes = {trailing: _NO_SPACE} if trailing else {}
        items[-1] = last.with_changes(comma=cst.Comma(whitespace_after=head), **changes)
        new = new.with_changes(comma=cst.MaybeSentinel.DEFAULT, **({trailing: tail} if trailing else {}))
    items.append(new)
    return items


def remove_item(
    items: Sequence[Item], index: int, opening: Whitespace, *, trailing: str | None = None
) -> tuple[list[Item], Whitespace]:
    """`items` without the one at `index`, and the (possibly changed) opening whitespace."""
    items = list(items)
    gone = items.pop(index)
    after = _after(gone, trailing)
    if not items:
        return items, _join(opening, after) if has_comment(opening) or has_comment(after) else _NO_SPACE
    if index == 0:
        return items, _join(opening, after) if isinstance(after, cst.ParenthesizedWhitespace) else opening
    prev = items[index - 1]
    assert isinstance(prev.comma, cst.Comma)
    before = prev.comma.whitespace_after
    if index < len(items):
        items[index - 1] = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=_join(before, after)))
    elif isinstance(gone.comma, cst.Comma):  # the last item, with a trailing comma
        items[index - 1] = prev.with_changes(comma=gone.comma.with_changes(whitespace_after=_join(before, after)))
    elif trailing:
        ending = _join(before, after, end=True)
        items[index - 1] = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT, **{trailing: ending})
    else:
        items[index - 1] = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return items, opening


def _join(before: Whitespace, after: Whitespace, *, end: bool = False) -> Whitespace:
    """The whitespace that replaces `before <removed item> after`: the layout of `after` (it
    leads to what follows), with the comments of both; the removed item's end-of-line comment
    becomes a comment line where the item was."""
    if not isinstance(before, cst.ParenthesizedWhitespace):
        return after
    if not isinstance(after, cst.ParenthesizedWhitespace):
        if end and has_comment(before):
            return before.with_changes(last_line=_NO_SPACE)
        return after if end else before
    moved = []
    if after.first_line.comment is not None:
        moved.append(cst.EmptyLine(indent=before.indent, whitespace=before.last_line, comment=after.first_line.comment))
    return after.with_changes(
        first_line=before.first_line,
        empty_lines=[*before.empty_lines, *moved, *after.empty_lines],
    )


# ----------------------------------------------------------------------------- imports


def _isort_key(name: str) -> tuple[int, str]:
    """isort's and ruff's default order of imported names: CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _position(names: list[str], new: str) -> int:
    """Where `new` goes: in order if the names are sorted (isort style, or plainly), else last."""
    for key in (_isort_key, str, str.lower):
        keys = [key(n) for n in names]
        if keys == sorted(keys):
            return sum(1 for k in keys if k < key(new))
    return len(names)


def _alias_names(node: cst.ImportFrom) -> list[str]:
    assert not isinstance(node.names, cst.ImportStar)
    return [cst.helpers.get_full_name_for_node(a.name) or "" for a in node.names]


def local_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return cst.helpers.get_full_name_for_node(alias.name) or ""


def extend_import(node: cst.ImportFrom, symbols: Sequence[str]) -> cst.ImportFrom:
    """`from dagster import a` with `symbols` added (each once, in the list's order if sorted)."""
    if isinstance(node.names, cst.ImportStar):
        raise ValueError("cannot extend a star import")
    for symbol in dict.fromkeys(symbols):
        if symbol in {local_name(a) for a in node.names}:
            continue
        opening = node.lpar.whitespace_after if node.lpar else cst.SimpleWhitespace(" ")
        at = _position(_alias_names(node), symbol)
        names = insert_item(node.names, at, cst.ImportAlias(cst.Name(symbol)), opening)
        node = node.with_changes(names=names)
    return node


def new_import(symbols: Sequence[str]) -> cst.SimpleStatementLine:
    names = sorted(dict.fromkeys(symbols), key=_isort_key)
    aliases = [cst.ImportAlias(cst.Name(n)) for n in names]
    return cst.SimpleStatementLine([cst.ImportFrom(module=cst.Name("dagster"), names=aliases)])


def insert_imports(original: cst.Module, module: cst.Module, inserts: dict[int | None, list[str]]) -> cst.Module:
    """`module` with `from dagster import ...` added after the statements whose original ids
    `inserts` names (None: after the docstring and `__future__` imports)."""
    body = list(module.body)
    for index in reversed(range(len(original.body))):
        symbols = inserts.get(id(original.body[index]))
        if symbols:
            body.insert(index + 1, new_import(symbols))
    if inserts.get(None):
        at = _top_position(module)
        line = new_import(inserts[None])
        if at < len(body):
            # Take the blank lines that separated the top of the module from what follows.
            line = line.with_changes(leading_lines=body[at].leading_lines)
        body.insert(at, line)
    return module.with_changes(body=body)


def _top_position(module: cst.Module) -> int:
    at = 0
    for index, stmt in enumerate(module.body):
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
        strings = (cst.SimpleString, cst.ConcatenatedString)
        docstring = index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, strings)
        future = isinstance(small, cst.ImportFrom) and cst.helpers.get_full_name_for_node(small.module) == "__future__"
        if not (docstring or future):
            break
        at = index + 1
    return at
