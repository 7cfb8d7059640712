"""Apply fix plans with libcst: `dagster-lint --fix` and `--diff`.

Rules describe their rewrites on the module's `ast` (`dagster_lint.fixplan`). Here every node a
plan names is found in the libcst tree by its position (`ast` columns are UTF-8 byte offsets,
libcst's are characters) and checked to be the same code; the edits of all findings of a module
are applied in one transform that keeps the layout and comments, imports are added or extended as
each `Ref` says, and the imports the fixes leave unused are removed. A fix is all or nothing: when
it cannot be located, or its result does not parse or loses a comment, it is not applied and its
finding stays, saying why; a fix that overlaps another waits for the next pass. Only
`dagster-lint --fix` and `--diff` import this module (libcst is the optional `fix` extra).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from dagster_lint import cst_layout
from dagster_lint.fixplan import Edit, Fix, not_fixed
from dagster_lint.model import source_lines
from dagster_lint.registry import Finding

# Fixes that overlap are applied on the next pass; no chain of rewrites is longer than this.
MAX_PASSES = 10

Span = tuple[int, int, int, int]


@dataclass
class PassResult:
    """One pass over a module: the new text, the findings fixed, and the fixes that failed."""

    source: str
    applied: list[Finding] = field(default_factory=list)
    failed: list[tuple[Finding, str]] = field(default_factory=list)


@dataclass
class FixResult:
    """`source` fixed until no fix applies; `findings` are what is left on it."""

    source: str
    applied: int
    findings: list[Finding]


def fix_source(source: str, lint: Callable[[str], list[Finding]], *, path: str = "<unknown>") -> FixResult:
    """Lint, fix, and lint again until nothing more applies. The remaining findings whose fix
    could not be applied lose their fix and say why."""
    applied = 0
    findings = lint(source)
    failed: list[tuple[Finding, str]] = []
    for _ in range(MAX_PASSES):
        result = apply_fixes(source, findings, path=path)
        failed = result.failed
        if not result.applied:
            break
        applied += len(result.applied)
        source = result.source
        findings = lint(source)
        failed = []
    reasons = {id(f): why for f, why in failed}
    left = [
        replace(f, fix=None, message=f.message + not_fixed(reasons[id(f)])) if id(f) in reasons else f
        for f in findings
    ]
    return FixResult(source, applied, left)


def apply_fixes(source: str, findings: Sequence[Finding], *, path: str = "<unknown>") -> PassResult:
    """Apply, in one pass, the fixes of `findings` (linted on `source`) that do not overlap."""
    fixable = [f for f in findings if f.fix is not None]
    if not fixable:
        return PassResult(source)
    try:
        wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
        positions, parents = wrapper.resolve(PositionProvider), wrapper.resolve(ParentNodeProvider)
        locator = _Locator(source, wrapper.module, positions, parents)
    except Exception as exc:  # libcst's parser lags behind new syntax; the findings stay
        why = f"libcst cannot parse the module ({type(exc).__name__})"
        return PassResult(source, failed=[(f, why) for f in fixable])
    result = PassResult(source)
    plans: list[_Plan] = []
    for finding in fixable:
        try:
            plans.append(locator.plan(finding))
        except _CannotFix as exc:
            result.failed.append((finding, str(exc)))
        except Exception as exc:  # a plan the applier does not understand is a bug, not a crash
            why = f"internal error in the fixer ({type(exc).__name__}: {exc}); please report it"
            result.failed.append((finding, why))
    chosen = _without_overlaps(plans)
    rendered = _try_render(wrapper.module, chosen, source, path)
    if isinstance(rendered, str):
        result.source, result.applied = rendered, [p.finding for p in chosen]
        return result
    # Together they fail: add them one at a time, so that one bad fix does not block the rest.
    accepted: list[_Plan] = []
    for plan in plans:
        if any(_overlaps(plan, other) for other in accepted):
            continue  # the next pass
        rendered = _try_render(wrapper.module, [*accepted, plan], source, path)
        if isinstance(rendered, str):
            accepted.append(plan)
            result.source = rendered
        else:
            result.failed.append((plan.finding, rendered.reason))
    result.applied = [p.finding for p in accepted]
    return result


# ----------------------------------------------------------------------------- locating


class _CannotFix(Exception):
    pass


@dataclass
class _Failure:
    reason: str


@dataclass(eq=False)
class _Plan:
    """A finding's fix with every `ast` node resolved to its libcst node."""

    finding: Finding
    fix: Fix
    nodes: dict[int, cst.CSTNode]  # id(ast node) -> libcst node
    spans: list[Span]
    parents: object  # libcst ParentNodeProvider results, shared by the module's plans


class _Locator:
    def __init__(self, source: str, module: cst.Module, positions, parents) -> None:
        self.lines = source_lines(source)
        self.module = module
        self.parents = parents
        self.by_span: dict[Span, list[cst.CSTNode]] = {}
        for node, where in positions.items():
            key = (where.start.line, where.start.column, where.end.line, where.end.column)
            self.by_span.setdefault(key, []).append(node)

    def plan(self, finding: Finding) -> _Plan:
        fix = finding.fix
        assert fix is not None
        nodes: dict[int, cst.CSTNode] = {}
        spans: list[Span] = []
        for edit in fix.edits:
            for node in (edit.node, edit.other):
                if node is not None and id(node) not in nodes:
                    nodes[id(node)] = self.find(node)
            spans.append(self.span(edit.node))
            ref = edit.ref
            for stmt in (ref.extend, ref.insert_after) if ref is not None else ():
                if stmt is not None and id(stmt) not in nodes:
                    nodes[id(stmt)] = self.find(stmt)
        return _Plan(finding, fix, nodes, spans, self.parents)

    def span(self, node: ast.AST) -> Span:
        def column(line: int, offset: int) -> int:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))

        return (
            node.lineno,
            column(node.lineno, node.col_offset),
            node.end_lineno,
            column(node.end_lineno, node.end_col_offset),
        )

    def find(self, node: ast.AST) -> cst.CSTNode:
        for candidate in self.by_span.get(self.span(node), ()):
            if self._same(node, candidate):
                return candidate
        shown = ast.unparse(node) if not isinstance(node, ast.stmt) else type(node).__name__
        raise _CannotFix(f"`{shown[:40]}` on line {node.lineno} could not be located in the syntax tree")

    def _same(self, node: ast.AST, candidate: cst.CSTNode) -> bool:
        """Whether the libcst node is the code of the `ast` node (positions alone can tie)."""
        if isinstance(node, ast.keyword):
            return (
                isinstance(candidate, cst.Arg)
                and candidate.keyword is not None
                and candidate.keyword.value == node.arg
                and self._same(node.value, candidate.value)
            )
        if isinstance(node, ast.expr):
            if not isinstance(candidate, cst.BaseExpression):
                return False
            code = self.module.code_for_node(candidate)
            return _dump(f"(\n{code}\n)", "eval") == ast.dump(node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if not isinstance(candidate, (cst.Import, cst.ImportFrom)):
                return False
            return _dump(self.module.code_for_node(candidate), "exec") == ast.dump(ast.Module([node], []))
        return False


def _dump(code: str, mode: str) -> str | None:
    try:
        return ast.dump(ast.parse(code, mode=mode).body if mode == "eval" else ast.parse(code, mode=mode))
    except (SyntaxError, ValueError):
        return None


def _overlaps(a: _Plan, b: _Plan) -> bool:
    return any(_spans_meet(x, y) for x in a.spans for y in b.spans)


def _spans_meet(a: Span, b: Span) -> bool:
    return (a[0], a[1]) < (b[2], b[3]) and (b[0], b[1]) < (a[2], a[3])


def _without_overlaps(plans: list[_Plan]) -> list[_Plan]:
    chosen: list[_Plan] = []
    for plan in plans:
        if not any(_overlaps(plan, other) for other in chosen):
            chosen.append(plan)
    return chosen


# ----------------------------------------------------------------------------- rendering


def _try_render(module: cst.Module, plans: list[_Plan], before: str, path: str) -> str | _Failure:
    try:
        after = _render(module, plans, path)
    except _CannotFix as exc:
        return _Failure(str(exc))
    except Exception as exc:  # a libcst refusal (invalid node) means this rewrite is not for us to make
        return _Failure(f"the rewrite could not be built ({type(exc).__name__})")
    problem = _broken(before, after)
    return _Failure(problem) if problem else after


def _render(module: cst.Module, plans: list[_Plan], path: str) -> str:
    rewriter = _Rewriter(plans)
    fixed = module.visit(rewriter)
    if rewriter.pending:
        raise _CannotFix("part of the rewrite did not find its place in the syntax tree")
    code = fixed.code
    unused = {name for plan in plans for name in plan.fix.unused}
    # In a package's __init__.py an import may be a re-export that other modules use.
    if unused and not path.replace("\\", "/").endswith("__init__.py"):
        unused = {name for name in unused if not _still_used(code, name)}
        if unused:
            trimmed = fixed.visit(_ImportRemover(unused)).code
            if _comments(trimmed) == _comments(code):
                code = trimmed
    return code


def _broken(before: str, after: str) -> str:
    """Why the rewritten module must not be written, or ''."""
    try:
        ast.parse(after)
    except SyntaxError as exc:
        return f"the rewritten module would not parse ({exc.msg}, line {exc.lineno})"
    if _comments(after) != _comments(before):
        return "the rewrite would drop a comment"
    return ""


def _comments(source: str) -> Counter[str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return Counter({"<untokenizable>": 1})
    return Counter(t.string.rstrip() for t in tokens if t.type == tokenize.COMMENT)


def _still_used(code: str, name: str) -> bool:
    """Whether the fixed module still refers to `name`, also from a string that is an expression
    naming it (a string annotation, an `__all__` entry); prose in a docstring does not count."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and name in node.value:
            try:
                expr = ast.parse(node.value.strip(), mode="eval")
            except (SyntaxError, ValueError):
                continue
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(expr)):
                return True
    return False


@dataclass
class _Op:
    edit: Edit
    target: cst.CSTNode
    other: cst.CSTNode | None


class _Rewriter(cst.CSTTransformer):
    """Applies the plans' edits bottom-up: each node is rewritten from its already rewritten
    children, so edits nested in one another (a replaced callee inside a rewritten call) compose."""

    def __init__(self, plans: list[_Plan]) -> None:
        super().__init__()
        self.ops: dict[int, list[_Op]] = {}  # id(libcst node) -> its edits
        self.removed_args: dict[int, set[int]] = {}  # id(call) -> ids of its Args that go
        self.extend: dict[int, list[str]] = {}  # id(ImportFrom) -> symbols to add
        self.insert: dict[int | None, list[str]] = {}  # id(module statement) or None -> symbols
        self.keep: set[int] = set()  # nodes whose rewritten form an enclosing edit takes
        self.rewritten: dict[int, cst.CSTNode] = {}
        self.pending = 0  # edits not applied yet: must be 0 after the visit
        imports: dict[str, list[tuple[str, int | None, bool]]] = {}  # symbol -> (how, where, module level)
        for plan in plans:
            for edit in plan.fix.edits:
                self._register(plan, edit, imports)
        self._place_imports(imports)

    def _register(self, plan: _Plan, edit: Edit, imports: dict[str, list[tuple[str, int | None, bool]]]) -> None:
        target = plan.nodes[id(edit.node)]
        other = plan.nodes[id(edit.other)] if edit.other is not None else None
        if edit.op in ("remove_keyword", "chain_method"):
            arg = target if edit.op == "remove_keyword" else other
            call = plan.parents.get(arg)
            if not isinstance(call, cst.Call):
                raise _CannotFix("the keyword is not an argument of a call")
            self.removed_args.setdefault(id(call), set()).add(id(arg))
            self.pending += 1
            if edit.op == "remove_keyword":
                return
        if other is not None:
            self.keep.add(id(other))
        self.ops.setdefault(id(target), []).append(_Op(edit, target, other))
        self.pending += 1
        ref = edit.ref
        if ref is not None and ref.extend is not None:
            stmt = plan.nodes[id(ref.extend)]
            module_level = isinstance(plan.parents.get(plan.parents.get(stmt)), cst.Module)
            imports.setdefault(ref.symbol, []).append(("extend", id(stmt), module_level))
        elif ref is not None and ref.new_import:
            anchor = None
            if ref.insert_after is not None:
                line = plan.parents.get(plan.nodes[id(ref.insert_after)])
                if not isinstance(plan.parents.get(line), cst.Module):
                    raise _CannotFix("the import to add the new one after is not at module level")
                anchor = id(line)
            imports.setdefault(ref.symbol, []).append(("insert", anchor, True))

    def _place_imports(self, imports: dict[str, list[tuple[str, int | None, bool]]]) -> None:
        """Each new name is imported once at module level (by the first fix that asks, preferring
        an existing `from dagster import`); an import a fix extends inside a function stays local."""
        for symbol, wanted in imports.items():
            toplevel = [w for w in wanted if w[0] == "extend" and w[2]] or [w for w in wanted if w[0] == "insert"][:1]
            local = [w for w in wanted if w[0] == "extend" and not w[2]]
            for how, where, _ in dict.fromkeys([*toplevel[:1], *local]):
                if how == "extend":
                    self.extend.setdefault(where, []).append(symbol)
                else:
                    self.insert.setdefault(where, []).append(symbol)

    def on_leave(self, original_node, updated_node):
        key = id(original_node)
        result = updated_node
        if isinstance(original_node, cst.Call):
            result = self._rewrite_call(original_node, result)
        for op in self.ops.get(key, ()):
            if op.edit.op not in _CALL_OPS:
                result = self._apply(op, result)
        if key in self.extend:
            result = cst_layout.extend_import(result, self.extend[key])
        if isinstance(original_node, cst.Module) and self.insert:
            result = cst_layout.insert_imports(original_node, result, self.insert)
        if key in self.keep:
            self.rewritten[key] = result
        return result

    def _apply(self, op: _Op, node):
        edit = op.edit
        self.pending -= 1
        if edit.op == "rename_keyword":
            return node.with_changes(keyword=cst.Name(edit.text))
        if edit.op == "replace":
            new = cst.parse_expression(edit.text.format(ref=edit.ref.text if edit.ref else ""))
            return new.with_changes(lpar=node.lpar, rpar=node.rpar)
        if edit.op == "unwrap":
            inner = self.rewritten[id(op.other)]
            return inner.with_changes(lpar=[*node.lpar, *inner.lpar], rpar=[*inner.rpar, *node.rpar])
        if edit.op == "wrap_set":
            return cst.Set([cst.Element(node)])
        raise _CannotFix(f"`{edit.op}` does not apply to a {type(node).__name__}")

    def _rewrite_call(self, original: cst.Call, call: cst.Call) -> cst.Call:
        ops = [op for op in self.ops.get(id(original), ()) if op.edit.op in _CALL_OPS]
        removed = self.removed_args.get(id(original), set())
        if not ops and not removed:
            return call
        args = list(call.args)
        opening = call.whitespace_before_args
        for op in ops:
            if op.edit.op == "positional_to_keyword":
                self.pending -= 1
                index = op.edit.index
                if not (0 <= index < len(args)) or args[index].keyword is not None:
                    raise _CannotFix("the positional argument is not where the plan expects it")
                args[index] = args[index].with_changes(keyword=cst.Name(op.edit.text), equal=_EQUAL)
        moved = {id(a): args[i].value for i, a in enumerate(original.args) if id(a) in removed}
        for index in reversed([i for i, a in enumerate(original.args) if id(a) in removed]):
            self.pending -= 1
            args, opening = cst_layout.remove_item(args, index, opening, trailing="whitespace_after_arg")
        for op in ops:
            if op.edit.op == "append_keyword":
                self.pending -= 1
                arg = cst.Arg(cst.parse_expression(op.edit.value), keyword=cst.Name(op.edit.text), equal=_EQUAL)
                args = cst_layout.insert_item(args, len(args), arg, opening, trailing="whitespace_after_arg")
        result = call.with_changes(args=args, whitespace_before_args=opening)
        for op in ops:
            if op.edit.op == "chain_method":
                self.pending -= 1
                result = cst.Call(
                    func=cst.Attribute(result.with_changes(lpar=[], rpar=[]), cst.Name(op.edit.text)),
                    args=[cst.Arg(moved[id(op.other)])],
                    lpar=result.lpar,
                    rpar=result.rpar,
                )
        return result


_CALL_OPS = frozenset({"positional_to_keyword", "append_keyword", "chain_method"})
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


class _ImportRemover(cst.CSTTransformer):
    """Drops the given local names from `from ... import` statements, and a statement left
    with no name (unless it is all its block has: the block needs a statement)."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names
        self.removed: set[int] = set()  # lines removed, by id of the original

    def leave_IndentedBlock(self, original_node, updated_node):
        return updated_node if updated_node.body else original_node

    def leave_ImportFrom(self, original_node, updated_node):
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        aliases = list(updated_node.names)
        lpar = updated_node.lpar
        opening = lpar.whitespace_after if lpar else updated_node.whitespace_after_import
        for index in reversed(range(len(aliases))):
            if cst_layout.local_name(aliases[index]) in self.names:
                aliases, opening = cst_layout.remove_item(aliases, index, opening)
        if len(aliases) == len(updated_node.names):
            return updated_node
        if not aliases:
            return cst.RemovalSentinel.REMOVE
        if lpar:
            return updated_node.with_changes(names=aliases, lpar=lpar.with_changes(whitespace_after=opening))
        return updated_node.with_changes(names=aliases, whitespace_after_import=opening)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        body = list(updated_node.body)
        if not body:
            self.removed.add(id(original_node))
            return cst.RemovalSentinel.REMOVE
        # `import os; from dagster import X` without X: no dangling `;`.
        if len(body) < len(original_node.body) and not isinstance(body[-1].semicolon, cst.MaybeSentinel):
            body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            return updated_node.with_changes(body=body)
        return updated_node

    def leave_Module(self, original_node, updated_node):
        """The lines before a removed statement stay: its comments always, its blank lines when
        the next statement has none of its own (the blank line that separated import groups)."""
        if not self.removed:
            return updated_node
        body, survivors = [], iter(updated_node.body)
        carried: list[cst.EmptyLine] = []
        for stmt in original_node.body:
            if id(stmt) in self.removed:
                carried.extend(stmt.leading_lines)
                continue
            new = next(survivors)
            if carried:
                own = list(new.leading_lines)
                blank_before = any(line.comment is None for line in own)
                keep = [line for line in carried if line.comment] if blank_before else carried
                new = new.with_changes(leading_lines=[*keep, *own])
                carried = []
            body.append(new)
        if carried:
            return updated_node.with_changes(body=body, footer=[*carried, *updated_node.footer])
        return updated_node.with_changes(body=body)
