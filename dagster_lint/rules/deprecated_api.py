"""DAG800: names, parameters and members Dagster marks deprecated or superseded.

What is deprecated comes from `dagster_lint/data/deprecations.json`, which
`scripts/gen_deprecations.py` generates from the installed Dagster's own annotations
(`@deprecated`, `@deprecated_param`, `@hidden_param`, `@superseded`). This module reads that
table once and never imports Dagster.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Callable

from dagster_lint.model import Definition, ModuleModel, unquote_annotation
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import is_none
from dagster_lint.rules.legacy import reports_op_config

# ----------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Deprecation:
    status: str  # "deprecated" or "superseded"
    breaking_version: str = ""
    advice: str = ""
    kind: str = ""  # class, function, method, property, classmethod, staticmethod, attribute


@dataclass(frozen=True)
class Table:
    version: str
    names: dict[str, Deprecation]  # "dagster.SourceAsset", "dagster.AssetSelection.keys"
    params: dict[str, dict[str, Deprecation]]  # callable path -> parameter -> deprecation
    members: dict[str, dict[str, Deprecation]]  # class path -> attribute -> deprecation
    last_parts: frozenset[str]  # the last component of every name, a cheap pre-filter
    callable_names: frozenset[str]  # the last component of every callable with deprecated parameters
    paths: frozenset[str]  # every path a private import may fold to


@functools.lru_cache(maxsize=1)
def table() -> Table:
    data = json.loads(resources.files("dagster_lint").joinpath("data/deprecations.json").read_text(encoding="utf-8"))
    names = {path: _entry(e) for path, e in data["names"].items()}
    params = {path: {p: _entry(e) for p, e in ps.items()} for path, ps in data["params"].items()}
    # A parameter whose notice names no replacement borrows the advice Dagster gives for the
    # same parameter elsewhere (`legacy_freshness_policy` of `AssetOut` and of `@asset`).
    advice_by_param: dict[str, str] = {}
    for ps in params.values():
        for p, d in ps.items():
            if d.advice:
                advice_by_param.setdefault(p, d.advice)
    for ps in params.values():
        for p, d in list(ps.items()):
            if not d.advice and p in advice_by_param:
                ps[p] = Deprecation(d.status, d.breaking_version, advice_by_param[p], d.kind)
    members: dict[str, dict[str, Deprecation]] = {}
    for path, d in names.items():
        if d.kind in ("method", "property", "classmethod", "staticmethod"):
            owner, attr = path.rsplit(".", 1)
            members.setdefault(owner, {})[attr] = d
    paths = frozenset(names) | frozenset(params) | frozenset(members)
    return Table(
        version=data["dagster_version"],
        names=names,
        params=params,
        members=members,
        last_parts=frozenset(p.rsplit(".", 1)[-1] for p in names),
        callable_names=frozenset(p.rsplit(".", 1)[-1] for p in params),
        paths=paths,
    )


def _entry(e: dict) -> Deprecation:
    return Deprecation(e["status"], e.get("breaking_version", ""), e.get("advice", ""), e.get("kind", ""))


def fold(path: str | None, known: frozenset[str]) -> str | None:
    """`dagster._core.definitions.asset_selection.AssetSelection.keys` -> `dagster.AssetSelection.keys`.

    Dagster exports its API from the top module; a path through a private module is matched
    against the public paths the table knows, longest first.
    """
    if path is None or not path.startswith("dagster"):
        return path
    parts = path.split(".")
    private = [i for i, part in enumerate(parts) if part.startswith("_")]
    if not private:
        return path
    for start in range(private[-1] + 1, len(parts)):
        candidate = "dagster." + ".".join(parts[start:])
        if candidate in known:
            return candidate
    return path


# ----------------------------------------------------------------------------- ownership
# Sites a dedicated rule reports, with a fix or a more specific message: DAG800 leaves them to it.
# tests/test_deprecated_api.py checks that each entry is still in the table and that its owner
# really reports it.

OWNED_PARAMS: dict[tuple[str, str], str] = {
    ("dagster.asset", "non_argument_deps"): "DAG801",
    ("dagster.multi_asset", "non_argument_deps"): "DAG801",
    ("dagster.asset", "compute_kind"): "DAG802",
    ("dagster.multi_asset", "compute_kind"): "DAG802",
    ("dagster.asset", "auto_materialize_policy"): "DAG804",
    ("dagster.graph_asset", "auto_materialize_policy"): "DAG804",
    ("dagster.AssetSpec", "auto_materialize_policy"): "DAG804",
    ("dagster.AssetOut", "auto_materialize_policy"): "DAG804",
    ("dagster.load_assets_from_modules", "auto_materialize_policy"): "DAG804",
    ("dagster.load_assets_from_current_module", "auto_materialize_policy"): "DAG804",
    ("dagster.load_assets_from_package_module", "auto_materialize_policy"): "DAG804",
    ("dagster.load_assets_from_package_name", "auto_materialize_policy"): "DAG804",
}
# Every reference to these names (and their members).
OWNED_NAMES: dict[str, str] = {"dagster.AutoMaterializePolicy": "DAG804"}
# Calls of these (and every parameter of the call); other references stay with DAG800.
OWNED_CALLS: dict[str, str] = {"dagster.SourceAsset": "DAG807"}
# Members read from the context parameter of a Dagster definition, where DAG806 reports that
# definition (`legacy.reports_op_config`).
OWNED_CONTEXT_MEMBERS: dict[str, str] = {"dagster.AssetExecutionContext.op_config": "DAG806"}


def _owned_name(path: str) -> bool:
    return any(path == owned or path.startswith(owned + ".") for owned in OWNED_NAMES)


# ----------------------------------------------------------------------------- receiver types

# The context Dagster passes to an unannotated context parameter, by decorator
# (dagster/_core/execution/context/compute.py for assets, ops and checks).
_CONTEXT_TYPES = {
    "dagster.asset": "dagster.AssetExecutionContext",
    "dagster.multi_asset": "dagster.AssetExecutionContext",
    "dagster.op": "dagster.OpExecutionContext",
    "dagster.asset_check": "dagster.AssetCheckExecutionContext",
    "dagster.multi_asset_check": "dagster.AssetCheckExecutionContext",
    "dagster.sensor": "dagster.SensorEvaluationContext",
    "dagster.asset_sensor": "dagster.SensorEvaluationContext",
    "dagster.multi_asset_sensor": "dagster.MultiAssetSensorEvaluationContext",
    "dagster.run_status_sensor": "dagster.RunStatusSensorContext",
    "dagster.run_failure_sensor": "dagster.RunFailureSensorContext",
    "dagster.schedule": "dagster.ScheduleEvaluationContext",
}
# Resource functions receive an InitResourceContext as their one positional parameter, whatever its name.
_RESOURCE_DECORATORS = frozenset({"dagster.resource", "dagster.io_manager"})
_IO_MANAGER_BASES = frozenset(
    {"dagster.IOManager", "dagster.ConfigurableIOManager", "dagster.UPathIOManager", "dagster.MemoizableIOManager"}
)
# IO manager methods and the context Dagster calls them with (second positional parameter).
_IO_MANAGER_METHODS = {
    "handle_output": "dagster.OutputContext",
    "load_input": "dagster.InputContext",
    "dump_to_path": "dagster.OutputContext",
    "load_from_path": "dagster.InputContext",
}

_Function = (ast.FunctionDef, ast.AsyncFunctionDef)


class _Types:
    """The Dagster class a parameter name holds, where the code leaves no doubt."""

    def __init__(self, model: ModuleModel, known: frozenset[str]):
        self.model = model
        self.known = known
        self.definitions = {id(d.node): d for d in model.definitions}
        self._bound: dict[int, frozenset[str]] = {}

    def of(self, name: ast.Name, wanted: Callable[[str], bool]) -> tuple[str | None, Definition | None]:
        """(class path, the definition whose context it is) of the value `name` refers to.

        `wanted(class path)` says whether that class matters to the caller; the bindings of the
        functions in between are only read then, since that is the costly part.
        """
        crossed: list[ast.AST] = []  # functions between the use and the one whose parameter it is
        for scope in self.model.ancestors(name):
            if isinstance(scope, ast.Lambda):
                if name.id in {a.arg for a in scope.args.args}:
                    return None, None
                continue
            if not isinstance(scope, _Function):
                continue
            params = [*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs]
            param = next((p for p in params if p.arg == name.id), None)
            if param is None:
                crossed.append(scope)
                continue
            cls, definition = self._param_type(scope, param)
            if cls is None or not wanted(cls):
                return None, None
            # Reassigned, or a local variable of a function in between: the type is unsure.
            if any(name.id in self._locals(f) for f in (*crossed, scope)):
                return None, None
            return cls, definition
        return None, None

    def _locals(self, func) -> frozenset[str]:
        """Names the body binds (parameters aside): any of them makes the type unsure."""
        bound = self._bound.get(id(func))
        if bound is None:
            bound = self._bound[id(func)] = _assigned(func)
        return bound

    def _param_type(self, func, param: ast.arg) -> tuple[str | None, Definition | None]:
        definition = self.definitions.get(id(func))
        if param.annotation is not None:
            return self._annotation(param.annotation), self._context_of(definition, param)
        if definition is not None:
            if definition.decorator in _RESOURCE_DECORATORS:
                positional = [*func.args.posonlyargs, *func.args.args]
                if positional and positional[0] is param:
                    return "dagster.InitResourceContext", definition
            elif definition.context_param is param:
                return _CONTEXT_TYPES.get(definition.decorator), definition
            return None, None
        wanted = _IO_MANAGER_METHODS.get(func.name)
        positional = [*func.args.posonlyargs, *func.args.args]
        if wanted and len(positional) >= 2 and positional[1] is param and self._in_io_manager(func):
            return wanted, None
        return None, None

    def _context_of(self, definition: Definition | None, param: ast.arg) -> Definition | None:
        return definition if definition is not None and definition.context_param is param else None

    def _annotation(self, annotation: ast.expr) -> str | None:
        annotation = unquote_annotation(annotation)
        # `X | None` and `Optional[X]`: an attribute read on it is a read on an X.
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [s for s in (annotation.left, annotation.right) if not is_none(s)]
            annotation = sides[0] if len(sides) == 1 else None
        elif isinstance(annotation, ast.Subscript) and self.model.qualname(annotation.value) in (
            "typing.Optional",
            "typing_extensions.Optional",
        ):
            annotation = annotation.slice
        if not isinstance(annotation, (ast.Name, ast.Attribute)):
            return None
        return fold(self.model.qualname(annotation), self.known)

    def _in_io_manager(self, func) -> bool:
        cls = self.model.parent(func)
        if not isinstance(cls, ast.ClassDef):
            return False
        return self._is_io_manager(cls.name, set())

    def _is_io_manager(self, name: str, seen: set[str]) -> bool:
        info = self.model.classes.get(name)
        if info is None or name in seen:
            return False
        seen.add(name)
        if any(fold(b, self.known) in _IO_MANAGER_BASES for b in info.bases):
            return True
        return any(isinstance(b, ast.Name) and self._is_io_manager(b.id, seen) for b in info.node.bases)


def _assigned(func: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    names: set[str] = set()
    for stmt in func.body:
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                names.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(n.name)
            elif isinstance(n, ast.ExceptHandler) and n.name:
                names.add(n.name)
            elif isinstance(n, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in n.names)
    return frozenset(names)


# ----------------------------------------------------------------------------- the rule


@rule(
    "DAG800",
    "deprecated-dagster-api",
    "R",
    "{subject} is {status}; {advice}",
)
def deprecated_dagster_api(model: ModuleModel):
    """A name, parameter or member that Dagster marks deprecated or superseded.

    ## What it does
    Reports uses of Dagster APIs that Dagster's own annotations (`@deprecated`,
    `@deprecated_param`, `@hidden_param`, `@superseded`) mark, with the replacement Dagster
    names and the version that removes them:

    - a deprecated class or function (`dg.fs_io_manager`, `LegacyFreshnessPolicy`), through
      every import form, private `dagster._core...` modules included;
    - a deprecated keyword passed to the function or class that deprecates it
      (`@dg.op(version=...)`, `ScheduleDefinition(environment_vars=...)`); a keyword set to
      `None` is not reported, as Dagster does not warn about it either;
    - a deprecated method or property read from a value whose type is certain: a parameter
      annotated with the Dagster class, the unannotated context of an asset, op, check,
      sensor, schedule or resource function, and the context of an IO manager's
      `handle_output` / `load_input` (`context.run_id` in an asset, `context.metadata` in
      `handle_output`), and members reached through the class (`dg.AssetSelection.keys`).

    The table is generated from Dagster's annotations by `scripts/gen_deprecations.py` and
    records the Dagster version it was generated from. Sites that a
    dedicated rule reports are left to it: `non_argument_deps=` (DAG801), `compute_kind=`
    (DAG802), `AutoMaterializePolicy` and `auto_materialize_policy=` (DAG804), `SourceAsset(...)`
    calls (DAG807) and `context.op_config` in a definition (DAG806).

    ## Why is this bad?
    Deprecated APIs are removed at the version Dagster names, and code that uses them stops
    loading on that upgrade. Several of them emit no warning at run time (hidden parameters,
    properties), so nothing else tells you before the upgrade breaks.

    ## Example
    ```python
    @dg.op(version="2")
    def fetch(context):
        context.log.info(context.run_id)

    defs = dg.Definitions(resources={"io_manager": dg.fs_io_manager})
    ```

    ## Use instead
    ```python
    @dg.op(code_version="2")
    def fetch(context):
        context.log.info(context.run.run_id)

    defs = dg.Definitions(resources={"io_manager": dg.FilesystemIOManager()})
    ```
    """
    t = table()
    types = _Types(model, t.paths)
    reported_names: set[int] = set()

    # Cheap pre-filters first: this loop sees every name and attribute of the module.
    imports, last_parts = model.imports, t.last_parts
    candidates = {local for local, target in imports.items() if target.rsplit(".", 1)[-1] in last_parts}
    names = [n for n in model.nodes_of(ast.Name) if n.id in candidates] if candidates else []  # type: ignore
    attributes = [n for n in model.nodes_of(ast.Attribute) if n.attr in last_parts]  # type: ignore[attr-defined]
    for node in names + attributes:
        if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
            continue
        path = fold(model.qualname(node), t.paths)
        if path is not None and path in t.names:
            if isinstance(node, ast.Attribute) and id(node.value) in reported_names:
                continue  # a member of a deprecated class: the class is reported
            if _owned_name(path) or _owned_call(model, node, path):
                continue
            reported_names.add(id(node))
            yield _report(node, _subject(model, node, path), t.names[path])
        elif path is None and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            yield from _typed_member(model, types, node, t)

    callables = t.callable_names
    callable_imports = {local for local, target in imports.items() if target.rsplit(".", 1)[-1] in callables}
    for call in model.all_calls:
        if not call.keywords:
            continue
        func = call.func
        if type(func) is ast.Attribute:
            if func.attr not in callables:
                continue
        elif type(func) is ast.Name:
            if func.id not in callable_imports:
                continue
        else:
            continue
        yield from _deprecated_keywords(model, types, call, t, reported_names)


def _owned_call(model: ModuleModel, node: ast.AST, path: str) -> bool:
    parent = model.parent(node)
    return path in OWNED_CALLS and isinstance(parent, ast.Call) and parent.func is node


def _typed_member(model: ModuleModel, types: _Types, node: ast.Attribute, t: Table):
    receiver = node.value
    assert isinstance(receiver, ast.Name)
    cls, definition = types.of(receiver, lambda c: node.attr in t.members.get(c, {}))
    deprecation = t.members.get(cls or "", {}).get(node.attr)
    if deprecation is None:
        return
    member = f"{cls}.{node.attr}"
    left_to_dag806 = definition is not None and member in OWNED_CONTEXT_MEMBERS and reports_op_config(definition)
    if _owned_name(member) or left_to_dag806:
        return
    yield _report(node, f"`{model.segment(node)}` (`{_short(member)}`)", deprecation, receiver=receiver.id)


def _deprecated_keywords(model: ModuleModel, types: _Types, call: ast.Call, t: Table, reported: set[int]):
    func = call.func
    if id(func) in reported:
        return  # the deprecated class or function itself is reported
    path = fold(model.qualname(func), t.paths)
    if path is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        cls, _ = types.of(func.value, lambda c: f"{c}.{func.attr}" in t.params)
        path = f"{cls}.{func.attr}" if cls else None
    params = t.params.get(path or "")
    if not params or path in OWNED_CALLS or _owned_name(path or ""):
        return
    for kw in call.keywords:
        if kw.arg not in params or is_none(kw.value) or (path, kw.arg) in OWNED_PARAMS:
            continue
        yield _report(kw, f"`{kw.arg}=` of `{_callee(model, call, path)}`", params[kw.arg])


def _callee(model: ModuleModel, call: ast.Call, path: str) -> str:
    text = model.segment(call.func)
    parent = model.parent(call)
    if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and call in parent.decorator_list:
        return f"@{text}" if "\n" not in text else f"@{_short(path)}"
    return text if text and "\n" not in text and len(text) <= 60 else _short(path)


def _subject(model: ModuleModel, node: ast.AST, path: str) -> str:
    text = model.segment(node)
    if text == _short(path) or text.endswith("." + _short(path)):
        return f"`{text}`"
    return f"`{text}` (`{_short(path)}`)"


def _short(path: str) -> str:
    return path[len("dagster.") :] if path.startswith("dagster.") else path


def _report(node: ast.AST, subject: str, d: Deprecation, receiver: str = "context") -> Violation:
    if d.status == "superseded":
        status = "superseded (Dagster keeps it but discourages new use)"
    elif not d.breaking_version[:1].isdigit():
        status = f"deprecated (to be removed in {d.breaking_version or 'a future release'})"
    elif _version(d.breaking_version) > _version(table().version):
        status = f"deprecated (to be removed in Dagster {d.breaking_version})"
    else:
        status = f"deprecated (overdue: Dagster planned its removal for {d.breaking_version})"
    # Dagster's advice spells the receiver `context`; the code may call it `init_context`.
    advice = _advice(d).replace("`context.", f"`{receiver}.")
    return Violation(node, subject=subject, status=status, advice=advice)


def _version(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
    return tuple(numbers)


def _advice(d: Deprecation) -> str:
    text = d.advice.strip().rstrip(".")
    if not text:
        return "Dagster's notice names no replacement: see its API docs and changelog before upgrading"
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        text = text[0].lower() + text[1:]  # "Use `x` instead" reads on after the semicolon
    if "`" not in text:
        text = " ".join(_quote_code(token) for token in text.split(" "))
    return text


# Code in Dagster's advice text, which does not always quote it: `context.run.tags.get(key)`,
# `definition_metadata`, `FilesystemIOManager`.
_CODE = re.compile(
    r"[A-Za-z_]\w*(?:\([^()\s]*\))?(?:\.[A-Za-z_]\w*(?:\([^()\s]*\))?)+"  # dotted, maybe called
    r"|[a-z]\w*_\w+(?:\(\))?"  # snake_case
    r"|[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+"  # CamelCase with two humps or more
)


def _quote_code(token: str) -> str:
    core = token.rstrip(".,;:")
    if not core or core.startswith(("http:", "https:")) or not _CODE.fullmatch(core):
        return token
    if all(len(part) == 1 for part in core.split(".")):
        return token  # "e.g."
    return f"`{core}`{token[len(core):]}"
