"""DAG4xx: reliability and idempotency."""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Iterator

from dagster_lint.knowledge import (
    APPEND_FILE_MODES,
    APPEND_SQL,
    APPEND_WRITE_KEYWORDS,
    CLIENT_CONSTRUCTORS,
    FILE_MODE_WRITERS,
    HTTP_METHODS,
    HTTP_SESSION_CONSTRUCTORS,
    HTTP_MOCK_LIBRARIES,
    LOCAL_CLIENT_CONSTRUCTORS,
    NETWORK_CALLS,
    PARTITION_ATTR_MARKER,
    REPLACING_METHODS,
    REPLACING_SQL,
    REPLACING_WRITE_KEYWORDS,
    REQUESTS_SESSION_CONSTRUCTORS,
    RETRY_LIBRARIES,
    SELF_RETRYING_CLIENTS,
    TIME_DELTA_CALLS,
    TIME_PARTITIONS,
    UPSERTING_INSERT_DRIVERS,
    WALL_CLOCK_CALLS,
)
from dagster_lint.model import (
    COMPUTE_KINDS,
    Definition,
    ModuleModel,
    is_resource_annotation,
    literal_str,
    names_bound,
)
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import (
    at_def,
    compute_bodies,
    is_none,
    is_not_shadowed_builtin,
    label,
    walk_no_nested_functions,
)

# Logging calls, and context methods that record metadata or events for the UI.
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
_METADATA_CALLS = frozenset({"add_output_metadata", "add_asset_metadata", "log_event"})
_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_CHECK_RESULTS = frozenset({"dagster.AssetCheckResult"})
# Calls that release something: an error while releasing must not hide the step's own outcome.
_CLEANUP_CALLS = frozenset(
    {"close", "aclose", "unlink", "remove", "rmtree", "cleanup", "dispose", "shutdown", "disconnect",
     "terminate", "kill", "rollback", "release", "stop"}
)


def _broad(model: ModuleModel, handler: ast.ExceptHandler, star: bool) -> str | None:
    """`except:`, `except Exception` (also in a tuple): the text to show, or None."""
    keyword = "except*" if star else "except"
    if handler.type is None:
        return f"{keyword}:"
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        name = t.id if isinstance(t, ast.Name) and t.id not in model.imports else model.qualname(t)
        if name in _BROAD:
            return f"{keyword} {ast.unparse(handler.type)}"
    return None


def _failed_check_result(model: ModuleModel, value: ast.expr | None) -> bool:
    """`AssetCheckResult(passed=...)` whose `passed` is not the literal True."""
    if not isinstance(value, ast.Call) or model.qualname(value.func) not in _CHECK_RESULTS:
        return False
    passed = next((kw.value for kw in value.keywords if kw.arg == "passed"), None)
    return not (isinstance(passed, ast.Constant) and passed.value is True)


def _handles(model: ModuleModel, handler: ast.ExceptHandler) -> bool:
    """Whether the handler makes the failure visible: it raises, or reports a failed check."""
    for node in walk_no_nested_functions(handler.body):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, (ast.Return, ast.Yield)) and _failed_check_result(model, node.value):
            return True
    return False


def _returns(handler: ast.ExceptHandler) -> bool:
    return any(isinstance(node, ast.Return) for node in walk_no_nested_functions(handler.body))


def _raises(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(node, ast.Raise) for node in walk_no_nested_functions(stmts))


def _only_cleanup(body: list[ast.stmt]) -> bool:
    """A `try` body that only releases resources: `conn.close()`, `os.remove(tmp)`, ..."""
    for stmt in body:
        value = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(value, ast.Await):
            value = value.value
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _CLEANUP_CALLS
        ):
            return False
    return bool(body)


@dataclass(frozen=True)
class _Context:
    in_loop: bool = False  # a handler here skips one item, not the whole step
    cleanup: bool = False  # in a `finally:` or in a handler that raises: best-effort tidying
    raises_later: bool = False  # a later statement of the step raises: the failure can still surface


# Method names that change something outside the step (a table, a file, a service). A `try` that
# calls one does real work, whatever its result is used for.
_WRITER = re.compile(
    r"^(?:write|insert|save|put|upload|to_sql|to_parquet|to_csv|to_json|to_excel|commit|push|send|post|patch|"
    r"delete|drop|copy|load|run|materialize|publish|submit|create|update|upsert|merge|replace|truncate)",
    re.IGNORECASE,
)
# Methods that run a statement: a write unless the statement is a literal query that only reads.
_STATEMENT_METHODS = frozenset({"execute", "executemany", "exec_driver_sql", "query", "sql", "execute_query"})
# Modules whose `load`/`loads` parse a value in memory.
_PARSERS = frozenset({"json", "pickle", "yaml", "tomllib", "toml", "csv", "ast"})
_READ_ONLY_SQL = re.compile(r"^\s*(?:select|show|describe|desc|explain|with)\b", re.IGNORECASE)
# Calls that build metadata values for the UI.
_METADATA_BUILDERS = (
    "dagster.MetadataValue",
    "dagster.TableSchema",
    "dagster.TableColumn",
    "dagster.TableColumnLineage",
    "dagster.TableColumnDep",
    "dagster.TableRecord",
)
_BUILTIN_NAMES = frozenset(dir(builtins))
_SINK, _FLOW, _NEUTRAL, _DATA = range(4)


_QUIET_STATEMENTS = (ast.Pass, ast.Import, ast.ImportFrom, ast.Break, ast.Continue)
_COMPOUND_STATEMENTS = (ast.If, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try)


def _nested_statements(stmt: ast.stmt) -> list[ast.stmt]:
    handlers = [s for h in getattr(stmt, "handlers", []) for s in h.body]
    return [*stmt.body, *getattr(stmt, "orelse", []), *handlers, *getattr(stmt, "finalbody", [])]  # type: ignore


def _record_shaped(body: list[ast.stmt]) -> bool:
    """Every statement has a shape `_BestEffort._records_only` can accept (an assignment, a call,
    a block of those): what it checks first, without knowing which names hold metadata."""
    for stmt in body:
        if isinstance(stmt, ast.Expr):
            if not isinstance(stmt.value, ast.Call):
                return False
        elif isinstance(stmt, _COMPOUND_STATEMENTS):
            if not _record_shaped(_nested_statements(stmt)):
                return False
        elif not isinstance(stmt, (*_QUIET_STATEMENTS, ast.Assign, ast.AugAssign, ast.AnnAssign)):
            return False
    return True


class _BestEffort:
    """`try` blocks of one body whose failure leaves the step's data intact: they only compute
    metadata for the UI, only read the run's own context, or fall back to another value."""

    def __init__(self, model: ModuleModel, d: Definition) -> None:
        self.model, self.d = model, d
        self.ctx = d.context_param.arg if d.context_param is not None else None

    def covers(self, body: list[ast.stmt], handler: ast.ExceptHandler) -> bool:
        return (
            self._records_only(body)
            or self._reads_context_only(body)
            or _falls_back(body, handler, self._none_checked)
            or _creates_if_missing(body)
        )

    @cached_property
    def _strings(self) -> dict[str, ast.expr]:
        """Names the body binds to one string literal (a SQL statement prepared for a call)."""
        values: dict[str, list[ast.expr]] = {}
        for n in self.d.body_nodes:
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name):
                        values.setdefault(t.id, []).append(n.value)
        return {
            name: vs[0] for name, vs in values.items() if len(vs) == 1 and _string_text(vs[0]) is not None
        }

    @cached_property
    def _none_checked(self) -> set[str]:
        """Names the body compares with `None` (`if response is None:`): code that handles a
        missing value on purpose."""
        return {
            n.left.id
            for n in self.d.body_nodes
            if isinstance(n, ast.Compare)
            and isinstance(n.left, ast.Name)
            and any(isinstance(op, (ast.Is, ast.IsNot)) for op in n.ops)
            and any(is_none(c) for c in n.comparators)
        }

    # -- metadata: names whose values end up only in `metadata=`, `MetadataValue`s and logs
    @cached_property
    def metadata_names(self) -> frozenset[str]:
        if not any(self._is_sink(n) for n in self.d.body_nodes):
            return frozenset()  # nothing in the body stores metadata, so no name can lead there
        loads: dict[str, list[ast.Name]] = {}
        for n in self.d.body_nodes:
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                loads.setdefault(n.id, []).append(n)
        # A dict that `MetadataValue`s are stored into holds metadata, wherever it goes then.
        names = {
            t.value.id
            for n in self.d.body_nodes
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and self._builds_metadata(n.value)
            for t in n.targets
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
        }
        # Where a load's value goes is either known from the expression around it (a sink, a log,
        # the step's data) or decided by its statement, which can only move from _DATA to _FLOW
        # as `names` grows. A name with one load that certainly feeds the data is never metadata.
        open_loads: dict[str, tuple[bool, list[tuple[ast.stmt, ast.AST, ast.Name]]]] = {}
        for name, nodes in loads.items():
            if name in names:
                continue
            sunk, statements = False, []
            for n in nodes:
                where = self._destination(n)
                if where == _DATA:
                    break
                if type(where) is tuple:
                    statements.append((*where, n))
                elif where == _SINK:
                    sunk = True
            else:
                open_loads[name] = (sunk, statements)
        flows: set[int] = set()  # loads whose statement already passes their value on to metadata
        for _ in range(20):  # each round follows values at least one assignment further from the sink
            grown = False
            for name, (sunk, statements) in list(open_loads.items()):
                feeds = sunk
                for stmt, child, n in statements:
                    if id(n) in flows:
                        feeds = True
                        continue
                    kind = self._statement_position(stmt, child, n, names)
                    if kind == _DATA:
                        break
                    if kind == _FLOW:
                        flows.add(id(n))
                        feeds = True
                else:
                    if feeds:
                        names.add(name)
                        del open_loads[name]
                        grown = True
            if not grown:
                break
        return frozenset(names)

    def _destination(self, load: ast.Name) -> int | tuple[ast.stmt, ast.AST]:
        """Where the value of a name goes, as far as the expression around it tells: into
        metadata (_SINK), nowhere (a log: _NEUTRAL), or to its statement (with the child of the
        statement that holds the name), which `_statement_position` judges; _DATA outside one."""
        child: ast.AST = load
        for parent in _ancestors(load, self.d.module.parents, self.d.node):
            if isinstance(parent, ast.keyword) and parent.arg == "metadata":
                return _SINK
            if isinstance(parent, ast.Call) and child is not parent.func:
                if _call_attr(parent) in _METADATA_CALLS or self._builds_metadata(parent):
                    return _SINK
                if _call_attr(parent) in _LOG_METHODS:
                    return _NEUTRAL
            if isinstance(parent, ast.stmt):
                return parent, child
            child = parent
        return _DATA

    def _statement_position(self, stmt: ast.stmt, child: ast.AST, load: ast.Name, metadata: set[str]) -> int:
        """Where the statement takes the name's value, given the names known to hold metadata:
        into one of them (_FLOW), nowhere (a test, an item stored into the name itself:
        _NEUTRAL), or into the step's data (_DATA)."""
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            if child is not stmt.value and _root_name(child) == load.id:  # type: ignore[arg-type]
                return _NEUTRAL  # `metadata["rows"] = ...`: fills the name itself
            roots = _target_roots(stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
            if roots == {load.id}:
                return _NEUTRAL  # `_prev = _prev.head(5)`: the name changes, the value stays in it
            return _FLOW if roots <= metadata | {load.id} else _DATA
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and child is stmt.iter:
            return _FLOW if self._records_only(stmt.body, metadata) else _DATA
        if isinstance(stmt, (ast.If, ast.While)) and child is stmt.test:
            return _NEUTRAL
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            root = _root_name(stmt.value.func)
            if root == load.id and child is stmt.value:
                return _NEUTRAL  # `metadata.update(...)`
            return _FLOW if root in metadata else _DATA
        return _DATA

    def _is_sink(self, node: ast.AST) -> bool:
        """A place `_destination` calls metadata: `metadata=`, `add_output_metadata(...)`, a builder."""
        if isinstance(node, ast.keyword):
            return node.arg == "metadata"
        return isinstance(node, ast.Call) and (_call_attr(node) in _METADATA_CALLS or self._builds_metadata(node))

    def _builds_metadata(self, call: ast.Call) -> bool:
        return (self.model.qualname(call.func, self.d) or "").startswith(_METADATA_BUILDERS)

    def _records_only(self, body: list[ast.stmt], metadata: set[str] | frozenset[str] | None = None) -> bool:
        """Every statement stores into metadata or logs, and nothing is written elsewhere."""
        if metadata is None:
            if not _record_shaped(body):
                return False  # decided before working out which names hold metadata
            metadata = self.metadata_names
        effects = 0
        for stmt in body:
            if isinstance(stmt, _QUIET_STATEMENTS):
                continue
            if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if not _target_roots(targets) <= metadata:
                    return False
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                if not (_call_attr(call) in _METADATA_CALLS | _LOG_METHODS or _root_name(call.func) in metadata):
                    return False
            elif isinstance(stmt, _COMPOUND_STATEMENTS):
                if not self._records_only(_nested_statements(stmt), metadata):
                    return False
            else:
                return False
            if any(self._writes(n, metadata) for n in walk_no_nested_functions([stmt])):
                return False
            effects += 1
        return effects > 0

    def _writes(self, node: ast.AST, metadata: set[str] | frozenset[str]) -> bool:
        if not isinstance(node, ast.Call):
            return False
        attr = _call_attr(node) or (node.func.id if isinstance(node.func, ast.Name) else "")
        if attr in _MUTATING_METHODS and _root_name(node.func) in metadata:
            return False  # `metadata.update(...)`: fills the metadata itself
        if attr in _STATEMENT_METHODS:
            statement = node.args[0] if node.args else None
            if isinstance(statement, ast.Call) and statement.args:  # `conn.execute(sa.text("SELECT ..."))`
                statement = statement.args[0]
            if isinstance(statement, ast.Name):  # `query = f"SELECT ..."` then `cursor.execute(query)`
                statement = self._strings.get(statement.id)
            text = _string_text(statement) if statement is not None else None
            return not (text is not None and _READ_ONLY_SQL.match(text))
        if (self.model.qualname(node.func, self.d) or "").split(".")[0] in _PARSERS:
            return False  # `json.loads(...)`: reads, whatever the name says
        return bool(_WRITER.match(attr)) and attr not in _METADATA_CALLS

    # -- the run's context: the partition (which raises for an unpartitioned run), the instance
    def _reads_context_only(self, body: list[ast.stmt]) -> bool:
        if self.ctx is None:
            return False
        nodes = list(walk_no_nested_functions(body))
        if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)) for n in nodes):
            return False
        bound = {n.id for n in nodes if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        reads_context = False
        for n in nodes:
            if isinstance(n, ast.Name) and n.id == self.ctx:
                reads_context = True
            if not isinstance(n, ast.Call):
                continue
            callee = n.func
            while isinstance(callee, (ast.Attribute, ast.Subscript)):
                callee = callee.value
            if isinstance(callee, ast.Call):
                continue  # `a().b()`: `a()` is checked itself
            if isinstance(callee, ast.BoolOp):  # `(run.tags or {}).get(...)`
                callee = callee.values[0]
                while isinstance(callee, ast.Attribute):
                    callee = callee.value
            if not isinstance(callee, ast.Name):
                return False
            name = callee.id
            dagster = (self.model.qualname(callee, self.d) or "").startswith("dagster")
            builtin = name in _BUILTIN_NAMES and name not in self.d.local_names and name not in self.model.imports
            if not (name == self.ctx or name in bound or dagster or builtin):
                return False
        return reads_context


def _target_roots(targets: list[ast.expr]) -> set[str | None]:
    """The names assignment targets store into: `a, b["x"] = ...` -> {"a", "b"}."""
    roots: set[str | None] = set()
    for t in targets:
        if isinstance(t, (ast.Tuple, ast.List)):
            roots |= _target_roots(t.elts)
        else:
            roots.add(_root_name(t.value if isinstance(t, ast.Starred) else t))
    return roots


def _call_attr(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _creates_if_missing(body: list[ast.stmt]) -> bool:
    """`try: service.create_table(name)` and on to the next statement: the object usually exists
    already, and a real failure surfaces at the next call that uses it."""
    calls = [n for n in walk_no_nested_functions(body) if isinstance(n, ast.Call)]
    made = [c for c in calls if _call_attr(c).startswith("create") or _call_attr(c) in ("mkdir", "makedirs")]
    others = [c for c in calls if c not in made and _call_attr(c) not in _LOG_METHODS and not _inside_any(c, made)]
    return bool(made) and not others and all(isinstance(stmt, ast.Expr) for stmt in body)


def _inside_any(node: ast.AST, calls: list[ast.Call]) -> bool:
    return any(node is not c and any(node is n for n in ast.walk(c)) for c in calls)


def _falls_back(body: list[ast.stmt], handler: ast.ExceptHandler, none_checked: set[str]) -> bool:
    """The handler does the `try`'s work another way, and its own errors propagate: it binds what
    the `try` binds to a value computed otherwise (`table_names = configured_names`, a list it
    then fills), or calls the same object to do the alternative (`client.get_collection(name)`,
    else `client.create_collection(name)`). Not a fallback: an empty placeholder (`rows = []`,
    unless the `try` itself assigns that value on another path, or the body checks the name
    against `None` later), or a record of the error (`errors.append(str(err))`)."""
    tried = [n for n in walk_no_nested_functions(body)]
    results = {root for n in tried if isinstance(n, ast.Assign) for root in _target_roots(n.targets)} - {None}
    placeholders_tried = {
        (root, _value_key(value))
        for n in tried
        if isinstance(n, ast.Assign)
        for value in _branches(n.value)
        if _placeholder(value)
        for root in _target_roots(n.targets)
    }
    # A single probing call (`client.get_collection(name)`): the handler may do the alternative.
    receivers = {
        _root_name(n.func) for n in tried if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    } - {None} if len(body) == 1 else set()
    error = handler.name
    rebound: set[str] = set()
    emptied: set[str] = set()
    alternative = False
    for n in walk_no_nested_functions(handler.body):
        if isinstance(n, ast.Assign):
            for root in _target_roots(n.targets) & results:
                plain = all(isinstance(t, ast.Name) for t in n.targets)
                tried_value = (root, _value_key(n.value)) in placeholders_tried
                checked = is_none(n.value) and root in none_checked
                if plain and _placeholder(n.value) and not (tried_value or checked):
                    emptied.add(root)  # type: ignore[arg-type]
                else:
                    rebound.add(root)  # type: ignore[arg-type]
                    emptied.discard(root)  # type: ignore[arg-type]
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and _call_attr(n) not in _LOG_METHODS:
            if error and any(isinstance(a, ast.Name) and a.id == error for a in ast.walk(n)):
                return False  # records the error instead of handling it
            root = _root_name(n.func)
            if root in results and n.func.attr in _MUTATING_METHODS:
                rebound.add(root)  # type: ignore[arg-type]
                emptied.discard(root)  # type: ignore[arg-type]
            elif root in receivers and n.func.attr not in _CLEANUP_CALLS:
                alternative = True
    return (bool(rebound) or alternative) and not emptied


def _branches(value: ast.expr) -> list[ast.expr]:
    """The values an expression can take: both arms of `a if c else b`."""
    if isinstance(value, ast.IfExp):
        return [*_branches(value.body), *_branches(value.orelse)]
    return [value]


def _value_key(value: ast.expr) -> str:
    """Equal for equal literals (`None`, `[]`), to compare placeholders."""
    return ast.dump(value)


def _placeholder(value: ast.expr) -> bool:
    """`None`, `""`, `0`, `-1`, `[]`, `{}`, `pd.DataFrame()`: a value that stands for nothing."""
    if isinstance(value, ast.UnaryOp):
        value = value.operand
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return not value.elts
    if isinstance(value, ast.Dict):
        return not value.keys
    if not isinstance(value, ast.Call) or value.args or value.keywords:
        return False
    # A constructor called bare (`list()`, `pd.DataFrame()`), not a method of a value (`df.copy()`).
    func = value.func
    return isinstance(func, ast.Name) or (isinstance(func, ast.Attribute) and func.attr[:1].isupper())


@rule(
    "DAG401",
    "exception-swallowed",
    "W",
    "`{clause}` in {kind} `{name}` swallows the error: {effect}; {fix}",
)
def exception_swallowed(model: ModuleModel):
    """Broad `except` in an asset or op that hides the failure.

    ## What it does
    Reports `except:`, `except Exception:` and `except BaseException:` (also in a tuple) in an
    `@asset`, `@multi_asset`, `@op` or `@asset_check` body, async ones included, whose handler
    neither raises (a bare `raise`, `raise ... from err`, `dg.Failure`, `dg.RetryRequested`)
    nor, in an asset check, returns a failed `AssetCheckResult`.

    Not reported: handlers of specific exception types; handlers inside a loop that move on
    to the next item (one returning from the step is reported); handlers followed later in
    the step by a `raise` (a fallback value that is checked afterwards); best-effort cleanup
    (in `finally:`, in a handler that re-raises, or around `close()`/`remove()`-style calls
    only); `try` blocks that only compute metadata for the UI (a preview, column lineage, a
    row count: values that go only into `metadata=`, `add_output_metadata`, `MetadataValue`s
    and logs, with no write among the calls), that only read the run's own context (the
    partition, which raises in an unpartitioned run; the instance's previous materialization
    or run tags), or only create something that usually exists already (`create_table`,
    `mkdir`); handlers that do the work another way (`names = configured_names`, a list they
    fill, `create_collection` after a failed `get_collection`, a `None` the body checks for
    later; not `rows = []`, nor `errors.append(str(err))`); handlers in helper functions,
    sensors and schedules.

    ## Why is this bad?
    Dagster marks the step successful, the asset shows a fresh materialization, and
    downstream assets run on missing or partial data. Nobody is alerted, and retries never
    trigger. In an asset check, the check can pass without having checked anything.

    ## Example
    ```python
    @dg.asset
    def orders(api: ShopApi):
        try:
            return api.fetch_orders()
        except Exception as err:
            print(f"fetch failed: {err}")
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(api: ShopApi):
        try:
            return api.fetch_orders()
        except ShopApiThrottled as err:
            raise dg.RetryRequested(max_retries=3, seconds_to_wait=60) from err
    ```
    """
    try_types = (ast.Try, getattr(ast, "TryStar", ast.Try))
    for d in compute_bodies(model):
        if any(isinstance(n, try_types) for n in d.body_nodes):
            yield from _swallowed_in(_BestEffort(model, d), d.node.body, _Context())


def _swallowed_in(best: _BestEffort, body: list[ast.stmt], ctx: _Context) -> Iterator[Violation]:
    model, d = best.model, best.d
    # raises_after[i]: a statement after body[i] raises (one walk per statement, not per suffix).
    raises_after = [False] * len(body)
    for i in range(len(body) - 2, -1, -1):
        raises_after[i] = raises_after[i + 1] or model.contains(body[i + 1], ast.Raise)  # as _raises, no walk
    for i, stmt in enumerate(body):
        # Nested functions and classes run when called, possibly per item: theirs to judge.
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        here = replace(ctx, raises_later=True) if raises_after[i] and not ctx.raises_later else ctx
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            yield from _swallowed_in(best, stmt.body, replace(here, in_loop=True))
            yield from _swallowed_in(best, stmt.orelse, here)
        elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            star = type(stmt).__name__ == "TryStar"
            yield from _swallowed_in(best, stmt.body, here)
            for handler in stmt.handlers:
                handles = _handles(model, handler)
                if not handles and _swallows(best, stmt, handler, here):
                    yield _report(d, handler, _broad(model, handler, star) or "")
                inner = replace(here, cleanup=here.cleanup or handles)
                yield from _swallowed_in(best, handler.body, inner)
            yield from _swallowed_in(best, stmt.orelse, here)
            yield from _swallowed_in(best, stmt.finalbody, replace(here, cleanup=True))
        elif isinstance(stmt, (ast.If, ast.With, ast.AsyncWith)):
            yield from _swallowed_in(best, stmt.body, here)
            yield from _swallowed_in(best, getattr(stmt, "orelse", []), here)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _swallowed_in(best, case.body, here)


def _swallows(best: _BestEffort, try_: ast.Try, handler: ast.ExceptHandler, ctx: _Context) -> bool:
    if _broad(best.model, handler, False) is None or ctx.cleanup or _only_cleanup(try_.body):
        return False
    if _returns(handler):
        # Leaves the step with a value: neither the loop nor a later raise gets a say.
        return True
    return not ctx.in_loop and not ctx.raises_later and not best.covers(try_.body, handler)


def _report(d: Definition, handler: ast.ExceptHandler, clause: str) -> Violation:
    if d.kind == "asset_check":
        effect = "the check can pass without having checked anything"
        fix = "return `dg.AssetCheckResult(passed=False, ...)` or re-raise"
    else:
        effect = "the run is recorded as a success with missing or wrong data"
        fix = "re-raise, or raise `dg.Failure(...)` / `dg.RetryRequested(...)`"
    return Violation(handler, line=handler.lineno, col=handler.col_offset, clause=clause, kind=label(d),
                     name=d.name, effect=effect, fix=fix)


# ----------------------------------------------------------------------------- shared helpers


class _Scope:
    """The names a function binds, in the shape `ModuleModel.qualname` reads from a Definition."""

    def __init__(self, local_names: frozenset[str]) -> None:
        self.local_names = local_names


def _imports_from(model: ModuleModel, libraries: frozenset[str]) -> bool:
    return any(
        name == lib or name.startswith(lib + ".") for name in model.imports.values() for lib in libraries
    )


def _mocks_http(model: ModuleModel) -> bool:
    """The module answers HTTP requests with canned responses (`@responses.activate`, ...)."""
    return _imports_from(model, HTTP_MOCK_LIBRARIES)


def _dagster_prefix(model: ModuleModel) -> str:
    """How this module spells Dagster's names in a suggestion: `dg.`, `dagster.` or nothing."""
    aliases = sorted(local for local, name in model.imports.items() if name == "dagster")
    if "dg" in aliases:
        return "dg."
    return f"{aliases[0]}." if aliases else ""


def _segment(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _call_display(call: ast.Call) -> str:
    return f"{_segment(call.func, 50)}(...)"


def _ancestors(node: ast.AST, parents: dict[int, ast.AST], stop: ast.AST) -> Iterator[ast.AST]:
    current = parents.get(id(node))
    while current is not None and current is not stop:
        yield current
        current = parents.get(id(current))


def _root_name(expr: ast.AST) -> str | None:
    """`orders["a"].loc[...]` -> "orders": the variable at the root of subscripts and attributes."""
    while isinstance(expr, (ast.Subscript, ast.Attribute)):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(kw.value for kw in call.keywords)]


def _mode_call(call: ast.Call) -> str | None:
    """The literal of Spark's `.mode("append")` / `.mode("overwrite")`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "mode" and call.args:
        return literal_str(call.args[0])
    return None


# ----------------------------------------------------------------------------- DAG402

# Definitions that take `retry_policy=` and whose body runs as a step.
_RETRYABLE_KINDS = frozenset({"asset", "multi_asset", "op", "asset_check"})
# Run tags that make Dagster re-execute a failed run (run retries).
_RUN_RETRY_TAGS = frozenset({"dagster/max_retries", "dagster/retry_strategy"})
_LOCAL_DATABASE_URL = re.compile(r"^(?:sqlite|duckdb)(?:\+\w+)?://", re.IGNORECASE)


def _network_call_name(name: str | None, call: ast.Call) -> bool:
    if name in NETWORK_CALLS:
        return True
    if name not in CLIENT_CONSTRUCTORS or name in LOCAL_CLIENT_CONSTRUCTORS or name in SELF_RETRYING_CLIENTS:
        return False
    if name in HTTP_SESSION_CONSTRUCTORS:
        return False  # an HTTP session connects when it sends a request: its requests are judged
    if name == "sqlalchemy.create_engine":
        url = call.args[0] if call.args else next((kw.value for kw in call.keywords if kw.arg == "url"), None)
        text = literal_str(url)
        return not (text is not None and _LOCAL_DATABASE_URL.match(text))
    return True


def _http_sessions(model: ModuleModel, d: Definition) -> set[str]:
    """Names the body binds to an HTTP session (`session = requests.Session()`,
    `with httpx.Client() as client`): DAG402 judges the requests made through them."""
    constructors = HTTP_SESSION_CONSTRUCTORS | REQUESTS_SESSION_CONSTRUCTORS
    out: set[str] = set()
    for node in d.body_nodes:
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(item.optional_vars, item.context_expr) for item in node.items]
        else:
            continue
        for target, value in pairs:
            if isinstance(target, ast.Name) and isinstance(value, ast.Call):
                if model.qualname(value.func, d) in constructors:
                    out.add(target.id)
    return out


def _session_request(call: ast.Call, sessions: set[str]) -> bool:
    """`session.get(...)` on a session the body created."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in HTTP_METHODS | {"send"}
        and isinstance(func.value, ast.Name)
        and func.value.id in sessions
    )


def _handled_in_code(call: ast.Call, parents: dict[int, ast.AST], stop: ast.AST) -> bool:
    """The body handles the call's failures itself: the call sits in a `while` loop or in a
    `try` inside a loop (a retry written by hand), or in a `try` with a handler that does not
    raise (the step goes on without the response, so a retry policy would never trigger)."""
    in_try = False
    child: ast.AST = call
    for node in _ancestors(call, parents, stop):
        if isinstance(node, ast.Try) and any(child is stmt for stmt in node.body):
            in_try = True
            if any(not _raises(h.body) for h in node.handlers):
                return True
        elif isinstance(node, ast.While) or (isinstance(node, (ast.For, ast.AsyncFor)) and in_try):
            return True
        child = node
    return False


def _module_retries(model: ModuleModel) -> bool:
    """The module sets a retry policy on a job, run retries in tags, or imports a retry library."""
    for call in model.all_calls:
        for kw in call.keywords:
            if kw.arg == "op_retry_policy" and not is_none(kw.value):
                return True
    for node in model.nodes_of(ast.Constant):
        if node.value in _RUN_RETRY_TAGS:
            return True
    if _imports_from(model, RETRY_LIBRARIES):
        return True
    return any(any(name.startswith(lib + ".") for lib in RETRY_LIBRARIES) for name in model.calls)


@rule(
    "DAG402",
    "external-call-without-retry",
    "C",
    "{kind} `{name}` {action} without a retry policy: a single timeout or "
    "server error fails the run; add `retry_policy={dg}RetryPolicy(max_retries=3, delay=10, "
    "backoff={dg}Backoff.EXPONENTIAL)` to the decorator (or set `op_retry_policy=` on its job)",
)
def external_call_without_retry(model: ModuleModel):
    """Asset or op that calls the network without a retry policy.

    ## What it does
    Reports an `@asset`, `@multi_asset`, `@op` or `@asset_check` whose body makes an HTTP
    request (`requests.get`, `httpx.post`, `urllib.request.urlopen`, ...; the list is
    `NETWORK_CALLS` in `dagster_lint/knowledge.py`) or creates a client for an external
    system (`CLIENT_CONSTRUCTORS`, the list DAG304 uses; for an HTTP session such as
    `requests.Session()`, the requests sent through it; not `duckdb.connect` or a SQLite
    engine, which stay in the process, nor the SDKs that retry transient errors themselves:
    boto3, the google-cloud clients, openai, anthropic, azure-storage, elasticsearch, listed in
    `SELF_RETRYING_CLIENTS`) and whose decorator has no `retry_policy=`.

    It stays quiet when the module sets `op_retry_policy=` on a job (`define_asset_job`,
    `@job`, `to_job`), sets run retries with the `dagster/max_retries` or
    `dagster/retry_strategy` tag, or imports a retry library (`tenacity`, `backoff`,
    `urllib3`'s `Retry`, ...); when the body raises `RetryRequested`; when the call sits in a
    `while` loop or in a `try` inside a loop (a retry written by hand), or in a `try` whose
    handler does not raise (the step goes on without the response, so a retry would never
    happen); when the decorator takes `**kwargs` (an asset factory); in modules that answer
    HTTP with canned responses (`responses`, `requests_mock`, `respx`); and in test modules.

    The rule sees one file: a retry policy set on a job in another module, run retries
    configured in `dagster.yaml` or in tags set elsewhere, and network calls made through a
    resource's methods are invisible to it. Silence it with `# noqa: DAG402` where the job
    takes care of retries.

    ## Why is this bad?
    Networks and APIs fail transiently: a timeout, a 503, a rate limit. Without a retry
    policy the step fails on the first one, the run fails, and someone has to re-execute it by
    hand. A retry policy with a delay lets Dagster retry the step on its own.

    ## Example
    ```python
    @dg.asset
    def exchange_rates():
        return requests.get("https://api.example.com/rates", timeout=30).json()
    ```

    ## Use instead
    ```python
    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL))
    def exchange_rates():
        return requests.get("https://api.example.com/rates", timeout=30).json()
    ```
    """
    if model.is_test_module:
        return
    exempt: bool | None = None  # the module-wide questions, asked at the first network call only
    for d in model.definitions:
        if d.kind not in _RETRYABLE_KINDS:
            continue
        if any(kw.arg is None for kw in (d.call.keywords if d.call else ())):
            continue
        policy = d.kwarg("retry_policy")
        if policy is not None and not is_none(policy):
            continue
        if any(name == "dagster.RetryRequested" for name, _ in d.calls):
            continue
        parents: dict[int, ast.AST] | None = None
        sessions = _http_sessions(model, d)
        for name, call in d.calls:
            through_session = _session_request(call, sessions)
            if not (through_session or _network_call_name(name, call)):
                continue
            if exempt is None:
                exempt = _mocks_http(model) or _module_retries(model)
            if exempt:
                return
            if parents is None:
                parents = d.module.parents
            if _handled_in_code(call, parents, d.node):
                continue
            verb = "calls" if name in NETWORK_CALLS or through_session else "connects with"
            action = f"{verb} `{_call_display(call)}`"
            yield at_def(d, kind=label(d), name=d.name, action=action, dg=_dagster_prefix(model))
            break


# ----------------------------------------------------------------------------- DAG403

_RETRY_POLICY_ARGS = ("max_retries", "delay", "backoff", "jitter")


@rule(
    "DAG403",
    "retry-without-backoff",
    "W",
    "`{policy}` retries {retries} times without `delay`: {effect}; {fix}",
)
def retry_without_backoff(model: ModuleModel):
    """`RetryPolicy` with several retries and no delay between them.

    ## What it does
    Reports `RetryPolicy(max_retries=N)` with a literal `N` greater than 1 and no `delay`
    (or `delay=0`/`delay=None`), by keyword or position. A policy that retries once, a
    `max_retries` computed at run time, and policies built in test modules are not reported.

    ## Why is this bad?
    Without `delay`, Dagster starts every retry as soon as the step fails. The failures a
    retry helps with (a rate limit, a restarting database, a network blip) last seconds to
    minutes, so all the retries fail the same way within moments and the policy only delays
    the alert. `backoff` and `jitter` shape the delay and need it: Dagster rejects them
    without `delay` when the code location loads.

    ## Example
    ```python
    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=5))
    def exchange_rates(api: RatesApi): ...
    ```

    ## Use instead
    ```python
    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=5, delay=10, backoff=dg.Backoff.EXPONENTIAL))
    def exchange_rates(api: RatesApi): ...
    ```
    """
    if model.is_test_module:
        return
    dg = _dagster_prefix(model)
    for call in model.calls_to("dagster.RetryPolicy"):
        if any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        args = dict(zip(_RETRY_POLICY_ARGS, call.args))
        args.update((kw.arg, kw.value) for kw in call.keywords if kw.arg)
        retries = args.get("max_retries")
        if not (
            isinstance(retries, ast.Constant)
            and isinstance(retries.value, int)
            and not isinstance(retries.value, bool)
            and retries.value > 1
        ):
            continue
        delay = args.get("delay")
        if delay is not None and not (is_none(delay) or (isinstance(delay, ast.Constant) and delay.value == 0)):
            continue
        shaped = [a for a in ("backoff", "jitter") if a in args and not is_none(args[a])]
        if shaped:
            effect = f"Dagster rejects `{'`/`'.join(shaped)}` without `delay` when the code location loads"
            fix = "add `delay=` (seconds before the first retry)"
        else:
            effect = "every retry starts at once and hits the same failure"
            fix = (
                f"add `delay=` and `backoff=`, e.g. `{dg}RetryPolicy(max_retries={retries.value}, delay=10, "
                f"backoff={dg}Backoff.EXPONENTIAL)`"
            )
        yield Violation(call, policy=_segment(call), retries=retries.value, effect=effect, fix=fix)


# ----------------------------------------------------------------------------- DAG404

_PARTITION_CLASSES_NOT_TIME = frozenset({"dagster.StaticPartitionsDefinition", "dagster.DynamicPartitionsDefinition"})
_TIME_NAME_HINT = re.compile(r"daily|hourly|weekly|monthly|yearly|time|date|day|hour|week|month", re.IGNORECASE)
# Keyword arguments and dict keys that name the bound of a data window.
_WINDOW_KEY = re.compile(
    r"^(?:start|end|since|until|from|from_|to|after|before|cutoff|date|day|dates|days|as_?of|begin|period|"
    r"month|year|week|min_date|max_date|lower|upper|lower_bound|upper_bound|"
    r"(?:start|end|from|to|min|max|begin)_\w+|\w+_(?:start|end|date|day|from|to|since|until|before|after|cutoff))$",
    re.IGNORECASE,
)
# Text before a value interpolated into SQL or a URL that makes the value a filter.
_FILTER_CONTEXT = re.compile(
    r"(?:(?:[<>!]=?|=)\s*|\b(?:between|and|since|until|after|before|interval)\s+)['\"(]*\s*$"
    r"|[?&](?P<param>[\w.\[\]-]+)=$",
    re.IGNORECASE,
)
_BOUND_PREFIX = re.compile(r"^(?:start|end|from|to|min|max|since|until|begin|lower|upper|after|before)(?:_|$)", re.I)
# The last SQL clause before a placeholder: after SET or VALUES the value is stored, not compared.
_SQL_CLAUSE = re.compile(r"\b(where|and|or|on|having|between|set|values)\b", re.IGNORECASE)
# Names of fields that record when something happened to the data (an audit column), not
# which data to read.
_AUDIT_NAME = re.compile(
    r"^(?:load|loaded|ingest|ingested|ingestion|insert|inserted|process|processed|processing|run|created|updated|"
    r"modified|extract|extracted|export|exported|snapshot|batch|write|written|sync|synced)_|_at$|_ts$|timestamp",
    re.IGNORECASE,
)
# What a clock value is compared with when it measures age or waits for a deadline.
_NOT_DATA = re.compile(
    r"mtime|ctime|modified|expir|deadline|timeout|\blast_|materializ|heartbeat|\bttl\b|\bage\b|_age\b", re.IGNORECASE
)
# Parts of a datetime that say when the run happens, not which data it reads.
_CLOCK_PARTS = frozenset(
    {"hour", "minute", "second", "microsecond", "weekday", "isoweekday", "tzinfo", "tzname", "fold"}
)
# Methods on a clock value that move it to a window boundary.
_SHIFT_METHODS = frozenset({"subtract", "add", "shift", "start_of", "end_of", "floor", "ceil", "normalize"})
_DATE_FIELDS = frozenset({"year", "month", "day", "hour", "minute"})
# Calls that turn a clock value into another representation of the same instant.
_CONVERTERS = frozenset({"str", "int", "float", "round", "min", "max"})
_CONVERTER_CALLS = frozenset(
    {
        "pandas.to_datetime",
        "pandas.Timestamp",
        "datetime.datetime.fromtimestamp",
        "datetime.datetime.utcfromtimestamp",
        "datetime.date.fromtimestamp",
        "datetime.datetime.combine",
    }
)
# Calls that only collect a value (a row, a record): a timestamp stored there is data, not a filter.
_COLLECTORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "put", "assign", "with_columns", "write",
     "writerow", "writerows", "dict", "list", "tuple", "set", "len", "repr", "isinstance", "DataFrame",
     "Series", "from_dict", "from_records", "from_pylist", "Table", "Output", "MaterializeResult"}
)
_METADATA_KEYWORDS = frozenset({"metadata", "description", "tags", "run_key"})


@dataclass(frozen=True)
class _Clock:
    call: ast.Call  # the wall-clock call the value comes from
    shifted: bool  # moved by a time span or to a period boundary


class _ClockFlow:
    """Where values read from the wall clock go inside one asset body."""

    def __init__(self, model: ModuleModel, d: Definition) -> None:
        self.model, self.d = model, d
        self.names: dict[str, _Clock] = {}
        self.deltas: set[str] = set()
        self.partition: set[str] = set()
        self.quiet = self._quiet_nodes()
        self.parents = d.module.parents
        assigns = [
            n for n in d.body_nodes if isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and n.value is not None
        ]
        for _ in range(4):  # a few rounds reach names derived from derived names
            changed = False
            for node in assigns:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                unpacked = [
                    n.id for t in targets if isinstance(t, ast.Tuple) for n in ast.walk(t) if isinstance(n, ast.Name)
                ]
                if not (names or unpacked) or id(node) in self.quiet:
                    continue
                value = node.value
                if self._mentions_partition(value):
                    names = names + unpacked
                    new = set(names) - self.partition
                    self.partition.update(new)
                    changed |= bool(new)
                    continue
                if self._delta(value):
                    new = set(names) - self.deltas
                    self.deltas.update(new)
                    changed |= bool(new)
                    continue
                clock = self.clock(value)
                if clock is not None:
                    for name in names:
                        if self.names.get(name) != clock:
                            self.names[name] = clock
                            changed = True
            if not changed:
                break
        # A name that is also bound to something else holds the clock value only sometimes.
        rebound = {
            n.id
            for node in assigns
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            for n in ast.walk(t)
            if isinstance(n, ast.Name) and (isinstance(t, ast.Tuple) or self.clock(node.value) is None)
        }
        for name in rebound:
            self.names.pop(name, None)

    # -- what a value is
    def _quiet_nodes(self) -> set[int]:
        """Nodes in logging, metadata, error messages and asserts: a timestamp there selects nothing."""
        quiet: set[int] = set()
        for node in self.d.body_nodes:
            roots: list[ast.AST] = []
            if isinstance(node, (ast.Raise, ast.Assert)):
                roots.append(node)
            elif isinstance(node, ast.Call):
                func = node.func
                if (
                    (isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS | _METADATA_CALLS)
                    or (isinstance(func, ast.Name) and func.id == "print")
                    or (self.model.qualname(func, self.d) or "").startswith("dagster.MetadataValue")
                ):
                    roots.append(node)
                roots.extend(kw.value for kw in node.keywords if kw.arg in _METADATA_KEYWORDS)
            for root in roots:
                quiet.update(id(n) for n in ast.walk(root))
        return quiet

    def _mentions_partition(self, expr: ast.AST) -> bool:
        for node in ast.walk(expr):
            if isinstance(node, ast.Attribute) and PARTITION_ATTR_MARKER in node.attr:
                return True
            if isinstance(node, ast.Name) and node.id in self.partition:
                return True
        return False

    def _delta(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in self.deltas
        if isinstance(expr, ast.UnaryOp):
            return self._delta(expr.operand)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
            return self._delta(expr.left) or self._delta(expr.right)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub)):
            return self._delta(expr.left) and self._delta(expr.right)
        return isinstance(expr, ast.Call) and self.model.qualname(expr.func, self.d) in TIME_DELTA_CALLS

    def clock(self, expr: ast.AST | None) -> _Clock | None:
        """The wall-clock read `expr` is computed from, unless it is a duration or the partition's."""
        if expr is None or self._mentions_partition(expr):
            return None
        if isinstance(expr, ast.Name):
            return self.names.get(expr.id)
        if isinstance(expr, ast.Call):
            return self._clock_call(expr)
        if isinstance(expr, ast.Attribute):
            return None if expr.attr in _CLOCK_PARTS else self.clock(expr.value)
        if isinstance(expr, ast.BinOp):
            return self._clock_binop(expr)
        if isinstance(expr, ast.JoinedStr):
            found = [c for v in expr.values if isinstance(v, ast.FormattedValue) for c in [self.clock(v.value)] if c]
            return found[0] if found else None
        if isinstance(expr, ast.IfExp):
            return self.clock(expr.body) or self.clock(expr.orelse)
        if isinstance(expr, ast.Await):
            return self.clock(expr.value)
        return None

    def _clock_call(self, call: ast.Call) -> _Clock | None:
        name = self.model.qualname(call.func, self.d)
        if name in WALL_CLOCK_CALLS:
            return _Clock(call, False)
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr in _CLOCK_PARTS:
                return None
            base = self.clock(func.value)
            if base is not None:
                shifted = func.attr in _SHIFT_METHODS or (
                    func.attr == "replace" and any(kw.arg in _DATE_FIELDS for kw in call.keywords)
                )
                return _Clock(base.call, base.shifted or shifted)
            if func.attr == "format" and isinstance(func.value, ast.Constant):
                return next((c for a in [*call.args, *(k.value for k in call.keywords)] if (c := self.clock(a))), None)
            return None
        converter = (isinstance(func, ast.Name) and func.id in _CONVERTERS and func.id not in self.d.local_names) or (
            name in _CONVERTER_CALLS
        )
        if converter:
            return next((c for a in call.args if (c := self.clock(a))), None)
        return None

    def _clock_binop(self, expr: ast.BinOp) -> _Clock | None:
        left, right = self.clock(expr.left), self.clock(expr.right)
        if left and right:
            return None  # the time between two readings: a duration or a deadline check
        clock = left or right
        if clock is None:
            return None
        other = expr.right if left else expr.left
        if isinstance(expr.op, (ast.Add, ast.Sub)):
            numeric = isinstance(other, ast.Constant) and isinstance(other.value, (int, float))
            if self._delta(other) or (numeric and self._epoch(clock)):
                return _Clock(clock.call, True)
            if isinstance(expr.op, ast.Add):
                return clock  # string building, or a span we cannot see
            return None  # now - something: an age
        if isinstance(expr.op, ast.Mod) and isinstance(expr.left, ast.Constant):
            return clock
        return None

    def _epoch(self, clock: _Clock) -> bool:
        return (self.model.qualname(clock.call.func, self.d) or "").startswith("time.")

    # -- where it goes
    def windows(self) -> Iterator[_Clock]:
        """Clock values that select data: filters, window bounds, query and URL parameters."""
        for node in self.d.body_nodes:
            if id(node) in self.quiet:
                continue
            if isinstance(node, ast.Compare):
                yield from self._compared(node)
            elif isinstance(node, ast.Call):
                yield from self._passed(node)
            elif isinstance(node, ast.Dict) and not self._stored(node):
                for key, value in zip(node.keys, node.values):
                    text = literal_str(key)
                    if text and _WINDOW_KEY.match(text) and not _stored_name(text) and (c := self.clock(value)):
                        yield c
            elif isinstance(node, ast.Slice):
                for bound in (node.lower, node.upper):
                    if c := self.clock(bound):
                        yield c
            elif isinstance(node, ast.JoinedStr):
                yield from self._interpolated(node)

    def _stored(self, node: ast.AST) -> bool:
        """A value that ends up in a row, a record or the asset's output rather than in a request."""
        for parent in _ancestors(node, self.parents, self.d.node):
            if isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Return, ast.Yield, ast.YieldFrom)):
                return True
            if isinstance(parent, ast.Call):
                return _collector(parent)
            if isinstance(parent, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                return any(isinstance(t, (ast.Subscript, ast.Attribute)) for t in targets)
            if isinstance(parent, ast.stmt):
                return False
        return False

    def _compared(self, node: ast.Compare) -> Iterator[_Clock]:
        operands = [node.left, *node.comparators]
        for a, b in zip(operands, operands[1:]):
            for this, other in ((a, b), (b, a)):
                clock = self.clock(this)
                if clock is None or self.clock(other) is not None:
                    continue
                if isinstance(other, ast.Constant) or (
                    isinstance(other, ast.UnaryOp) and isinstance(other.operand, ast.Constant)
                ):
                    continue
                if self._mentions_partition(other) or _NOT_DATA.search(_segment(other, 200)):
                    continue
                yield clock

    def _passed(self, call: ast.Call) -> Iterator[_Clock]:
        if _collector(call) or self._clock_call(call) is not None:
            return
        for kw in call.keywords:
            clock = self.clock(kw.value)
            if clock is None or (kw.arg and _stored_name(kw.arg)):
                continue
            if (kw.arg and _WINDOW_KEY.match(kw.arg)) or clock.shifted:
                yield clock
        for arg in call.args:
            clock = self.clock(arg)
            if clock and clock.shifted:
                yield clock

    def _interpolated(self, node: ast.JoinedStr) -> Iterator[_Clock]:
        before = ""
        text = ""
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                before = value.value
                text += value.value
                continue
            if isinstance(value, ast.FormattedValue):
                clock = self.clock(value.value)
                match = _FILTER_CONTEXT.search(before)
                clauses = _SQL_CLAUSE.findall(text)
                stored = bool(clauses) and clauses[-1].lower() in ("set", "values")
                param = match.group("param") if match else None
                if clock and match and not stored and not (param and _stored_name(param)):
                    yield clock
                text += "{}"
            before = ""


def _stored_name(name: str) -> bool:
    """A field or argument that records when something happened, or an expiry."""
    if _BOUND_PREFIX.match(name):
        return False
    return bool(_AUDIT_NAME.search(name) or _NOT_DATA.search(name))


def _collector(call: ast.Call) -> bool:
    func = call.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return last in _COLLECTORS or last in _CONVERTERS


def _time_partitioned(model: ModuleModel, expr: ast.AST | None, depth: int = 0) -> bool:
    """Whether a `partitions_def=` value is (or, by its name, likely is) partitioned by time."""
    if expr is None or is_none(expr) or depth > 3:
        return False
    if isinstance(expr, ast.Call):
        name = model.qualname(expr.func) or ""
        if name in TIME_PARTITIONS:
            return True
        if name == "dagster.MultiPartitionsDefinition":
            dimensions = [n for arg in [*expr.args, *(k.value for k in expr.keywords)] for n in ast.walk(arg)]
            return any(
                _time_partitioned(model, n, depth + 1) for n in dimensions if isinstance(n, (ast.Call, ast.Name))
            )
        if name in _PARTITION_CLASSES_NOT_TIME:
            return False
        return bool(_TIME_NAME_HINT.search(name.rsplit(".", 1)[-1]))
    if isinstance(expr, ast.Name):
        if expr.id in model.constants and expr.id not in model.imports:
            return _time_partitioned(model, model.constants[expr.id], depth + 1)
        return bool(_TIME_NAME_HINT.search(expr.id))
    if isinstance(expr, ast.Attribute):
        return bool(_TIME_NAME_HINT.search(expr.attr))
    return False


def _scheduled_assets(model: ModuleModel) -> dict[str, str]:
    """Asset names targeted by a schedule defined in this module, with the schedule's name."""
    out: dict[str, str] = {}
    targets: list[tuple[str, ast.AST]] = []
    for call in model.calls_to("dagster.ScheduleDefinition"):
        kwargs = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        name = literal_str(kwargs.get("name")) or _assigned_name(model, call) or "schedule"
        targets.extend((name, kwargs[k]) for k in ("job", "target") if k in kwargs)
    for d in model.of_kind("schedule"):
        targets.extend((d.name, d.kwargs[k]) for k in ("job", "target") if k in d.kwargs)
    for schedule, expr in targets:
        for asset in _selected_names(model, expr):
            out.setdefault(asset, schedule)
    return out


def _assigned_name(model: ModuleModel, value: ast.AST) -> str | None:
    for name, expr in model.constants.items():
        if expr is value:
            return name
    return None


def _selected_names(model: ModuleModel, expr: ast.AST, depth: int = 0) -> Iterator[str]:
    """Asset function names and key strings an asset job or selection mentions."""
    if depth > 3:
        return
    for node in ast.walk(expr):
        if isinstance(node, ast.Name):
            if node.id in model.constants and node.id not in model.imports:
                yield from _selected_names(model, model.constants[node.id], depth + 1)
            else:
                yield node.id
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


@rule(
    "DAG404",
    "wall-clock-in-asset",
    "W",
    "{what} `{name}` selects its data with `{clock}`: {effect}; {fix}",
)
def wall_clock_in_asset(model: ModuleModel):
    """Partitioned or scheduled asset that picks its data window from the current time.

    ## What it does
    Reports `datetime.now()`, `date.today()`, `time.time()`, `pendulum.now()`,
    `pd.Timestamp.now()` and the like (`WALL_CLOCK_CALLS` in `dagster_lint/knowledge.py`) in
    an `@asset` or `@multi_asset` that is partitioned by time (or whose `partitions_def` is
    named like it: `daily_partitions`), or that a schedule in the same module targets, when
    the value selects data. A clock value selects data when it, or a value derived from it,
    - is compared with a value that is not a constant (`df[df["day"] >= cutoff]`,
      `while day < today`);
    - is passed as an argument named like a window bound (`start=`, `end=`, `since=`,
      `date=`, `start_date=`, ...) or put in a dict under such a key (`params={"date": today}`);
    - is shifted by a time span or to a period boundary (`today - timedelta(days=1)`,
      `now.replace(day=1)`, `pendulum.now().subtract(days=7)`) and passed to a call;
    - is interpolated into SQL or a URL after a comparison or a query parameter
      (`f"... WHERE day = '{today}'"`, `f"{url}?date={today}"`), or used as a slice bound.

    It stays quiet for timestamps that only describe the run: values logged, put in
    `metadata=`, stored in a row or column (`rows.append((..., ingested_at))`,
    `df["loaded_at"] = now`), durations (`time.time() - start`), deadlines compared with
    another clock reading, age checks against a file's modification time, values combined
    with the partition (`min(context.partition_time_window.end, now)`), the hour or weekday
    of the run, and test modules. Partitions defined statically (`StaticPartitionsDefinition`)
    or dynamically are not time windows and are not checked. A schedule is matched to an
    asset only through `ScheduleDefinition(job=/target=)` or `@schedule(job=/target=)` and an
    asset job or selection in the same module that names the asset.

    ## Why is this bad?
    The window then depends on when the run happens, not on which partition it computes.
    A backfill of last month computes today's data thirty times; a retry after midnight
    reads a different day than the first attempt; a run the schedule missed is never made
    up. Dagster's partition tells the asset which window it is computing.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_orders(context, shop: ShopApi):
        day = date.today() - timedelta(days=1)
        return shop.orders(since=day)
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_orders(context, shop: ShopApi):
        window = context.partition_time_window
        return shop.orders(since=window.start, until=window.end)
    ```
    """
    if model.is_test_module:
        return
    scheduled: dict[str, str] | None = None
    for d in model.definitions:
        if d.kind not in ("asset", "multi_asset") or not any(n in WALL_CLOCK_CALLS for n, _ in d.calls):
            continue
        partitioned = _time_partitioned(model, d.kwarg("partitions_def"))
        schedule = None
        if not partitioned and d.kwarg("partitions_def") is None:
            if scheduled is None:
                scheduled = _scheduled_assets(model)
            key = literal_str(d.kwarg("name")) or d.name
            schedule = scheduled.get(key) or scheduled.get(d.name)
        if not partitioned and schedule is None:
            continue
        flow = _ClockFlow(model, d)
        seen: set[int] = set()
        for clock in flow.windows():
            if id(clock.call) in seen:
                continue
            seen.add(id(clock.call))
            display = f"{_segment(clock.call.func, 40)}()"
            if partitioned:
                what = f"partitioned {label(d)}"
                effect = (
                    "a backfill or a re-run of an older partition reads the current window instead of the partition's"
                )
                fix = "derive the window from `context.partition_time_window` (or `context.partition_key`)"
            else:
                what = f"scheduled {label(d)}"
                effect = (
                    f"a late, retried or repeated run of schedule `{schedule}` reads a different window, "
                    "and a missed window is never filled"
                )
                fix = "partition it by time and read `context.partition_time_window`"
            yield Violation(clock.call, what=what, name=d.name, clock=display, effect=effect, fix=fix)


# ----------------------------------------------------------------------------- DAG405

_APPEND_SQL = re.compile(APPEND_SQL, re.IGNORECASE)
_REPLACING_SQL = re.compile(REPLACING_SQL, re.IGNORECASE)
_OPENERS = frozenset({"open", "io.open", "codecs.open"})


def _string_text(node: ast.AST) -> str | None:
    """The literal text of a string or f-string (placeholders dropped)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _docstring_nodes(d: Definition) -> set[int]:
    return {
        id(n.value)
        for n in d.body_nodes
        if isinstance(n, ast.Expr) and isinstance(n.value, (ast.Constant, ast.JoinedStr))
    }


def _file_mode(model: ModuleModel, d: Definition, call: ast.Call) -> str | None:
    """The literal mode of `open(path, mode)`, `Path.open(mode)` or `df.to_csv(path, mode=...)`."""
    func = call.func
    name = model.qualname(func, d)
    builtin_open = isinstance(func, ast.Name) and func.id == "open" and is_not_shadowed_builtin(d, "open")
    mode = next((kw.value for kw in call.keywords if kw.arg == "mode"), None)
    if mode is None and (builtin_open or name in _OPENERS) and len(call.args) > 1:
        mode = call.args[1]
    if mode is None and isinstance(func, ast.Attribute) and func.attr == "open" and not builtin_open:
        mode = next((a for a in call.args[:2] if literal_str(a) in APPEND_FILE_MODES), None)
    if mode is None:
        return None
    if builtin_open or name in _OPENERS or (isinstance(func, ast.Attribute) and func.attr in FILE_MODE_WRITERS):
        return literal_str(mode)
    return None


def _append_writes(model: ModuleModel, d: Definition) -> Iterator[tuple[ast.AST, str, str, list[ast.AST]]]:
    """(node to report, what it does, the fix, what names the destination) for each append-mode
    write in the body."""
    partitions = d.kwarg("partitions_def")
    partitioned = partitions is not None and not is_none(partitions)
    docstrings = _docstring_nodes(d)
    parents = d.module.parents
    for _, call in d.calls:
        func = call.func
        mode = _file_mode(model, d, call)
        if mode in APPEND_FILE_MODES and not _log_file(call):
            keyword = any(kw.arg == "mode" for kw in call.keywords)
            where = f".{func.attr}" if isinstance(func, ast.Attribute) else _segment(func, 20)
            shown = f'{where}(..., mode="{mode}")' if keyword else f'{where}(..., "{mode}")'
            if isinstance(func, ast.Attribute) and not keyword and func.attr == "open":
                shown = f'.open("{mode}")' if literal_str(call.args[0]) == mode else shown
            fix = _append_fix("file", partitioned)
            receiver = [func.value] if isinstance(func, ast.Attribute) and func.attr == "open" else []
            yield call, f"`{shown}`", fix, [*receiver, *_destination(call)]
            continue
        for kw in call.keywords:
            values = APPEND_WRITE_KEYWORDS.get(kw.arg or "")
            if values and literal_str(kw.value) in values:
                shown = f'`{kw.arg}="{literal_str(kw.value)}"`'
                yield kw, shown, _append_fix(kw.arg or "", partitioned), _destination(call)
        if _mode_call(call) == "append":
            yield call, '`.mode("append")`', _append_fix("mode", partitioned), _chained_arguments(call, parents)
    if _imports_from(model, UPSERTING_INSERT_DRIVERS):
        return  # their `INSERT` statements update existing rows
    for node in d.body_nodes:
        if type(node) is not ast.Constant and type(node) is not ast.JoinedStr:
            continue
        text = _string_text(node)
        if text is None or id(node) in docstrings or not _APPEND_SQL.search(text):
            continue
        call = _executing_call(d, node, parents)
        if call is not None:
            yield call, "`INSERT INTO`", _append_fix("sql", partitioned), _inserted_table(node)


def _chained_arguments(call: ast.Call, parents: dict[int, ast.AST]) -> list[ast.AST]:
    """Arguments of the calls chained after `call`: `.mode("append").saveAsTable(name)` -> [name]."""
    out: list[ast.AST] = []
    node: ast.AST = call
    while True:
        attribute = parents.get(id(node))
        outer = parents.get(id(attribute)) if isinstance(attribute, ast.Attribute) else None
        if not (isinstance(outer, ast.Call) and outer.func is attribute):
            return out
        out.extend(_destination(outer))
        node = outer


_DESTINATION_KEYWORDS = frozenset(
    {"name", "table", "table_name", "table_or_uri", "path", "path_or_buf", "uri", "destination", "target",
     "file", "filename"}
)


def _destination(call: ast.Call) -> list[ast.expr]:
    """The arguments of a write that name where it writes: the first one, or one named like it."""
    out: list[ast.expr] = [call.args[0]] if call.args else []
    out.extend(kw.value for kw in call.keywords if kw.arg in _DESTINATION_KEYWORDS)
    return out


def _inserted_table(literal: ast.AST) -> list[ast.expr]:
    """The placeholder naming the table of `f"INSERT INTO {table} ..."`."""
    if not isinstance(literal, ast.JoinedStr):
        return []
    before = ""
    for value in literal.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            before = value.value
        elif isinstance(value, ast.FormattedValue) and re.search(r"\binsert\s+into\s+[\w.\"`\[\]]*$", before, re.I):
            return [value.value]
    return []


# Names that make a destination unique to one run: a run id, a timestamp, a temporary file.
_RUN_UNIQUE_NAME = re.compile(
    r"(?:^|_)(?:run_id|run_key|uuid\d?|timestamp|ts|tmp|temp|tempdir|tmpdir|tmp_path|now)(?:_|$)", re.IGNORECASE
)


def _unique_per_run(model: ModuleModel, d: Definition, targets: list[ast.AST]) -> bool:
    """The destination's name comes from the run id, the clock or a temporary path: each run
    writes somewhere new, so nothing is appended twice."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in d.body_nodes:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    assigned.setdefault(t.id, []).append(node.value)
    seen: set[str] = set()
    stack: list[ast.AST] = list(targets)
    while stack:
        expr = stack.pop()
        for node in ast.walk(expr):
            if isinstance(node, ast.Call):
                name = model.qualname(node.func, d) or ""
                if name in WALL_CLOCK_CALLS or name.startswith(("uuid.", "tempfile.")):
                    return True
            elif isinstance(node, ast.Attribute) and _RUN_UNIQUE_NAME.search(node.attr):
                return True
            elif isinstance(node, ast.Name):
                if _RUN_UNIQUE_NAME.search(node.id):
                    return True
                if node.id not in seen and len(seen) < 50:
                    seen.add(node.id)
                    stack.extend(assigned.get(node.id, ()))
    return False


def _log_file(call: ast.Call) -> bool:
    """`open("run.log", "a")`: a log grows by design."""
    path = _string_text(call.args[0]) if call.args else None
    return path is not None and path.rstrip().endswith(".log")


def _append_fix(how: str, partitioned: bool) -> str:
    """What to write instead of an append: `how` is the keyword, "file" or "sql"."""
    if not partitioned:
        return {
            "file": 'open the file with mode `"w"` so that a re-run replaces it',
            "sql": "delete (or `TRUNCATE`) what it replaces first, in the same transaction, or use `MERGE` / "
            "`INSERT ... ON CONFLICT`",
            "write_disposition": "write with `WRITE_TRUNCATE`, or `MERGE`",
            "if_exists": '`if_exists="replace"`, or delete the rows it replaces first, or an upsert',
            "if_table_exists": '`if_table_exists="replace"`, or delete the rows it replaces first, or an upsert',
        }.get(how, 'write with `mode="overwrite"`, or delete what it replaces before appending')
    if how == "file":
        return 'write the file with mode `"w"` (one file per partition) so that a re-run replaces it'
    if how == "sql":
        return (
            "delete the partition's rows first (`DELETE FROM ... WHERE` the partition) in the same "
            "transaction, or use `MERGE` / `INSERT ... ON CONFLICT`"
        )
    if how == "write_disposition":
        return "write the partition with `WRITE_TRUNCATE` (to `table$YYYYMMDD`), or `MERGE`"
    if how in ("if_exists", "if_table_exists"):
        return "delete the partition's rows first, or write with `MERGE`/an upsert"
    return (
        'overwrite the partition instead (`mode="overwrite"` with `predicate=`/`replaceWhere`), '
        "or delete it before appending"
    )


def _executing_call(d: Definition, literal: ast.AST, parents: dict[int, ast.AST], depth: int = 0) -> ast.Call | None:
    """The call that runs a SQL literal: the outermost call it is an argument of, directly or
    through a local variable; None when it is only logged or never used."""
    if depth > 3:
        return None
    node: ast.AST = literal
    outer: ast.Call | None = None
    for parent in _ancestors(literal, parents, d.node):
        if isinstance(parent, ast.Call) and node is not parent.func:
            outer = parent
        elif isinstance(parent, ast.Assign) and outer is None:
            names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
            for n in d.body_nodes:
                if (
                    isinstance(n, ast.Call)
                    and n.lineno > parent.lineno
                    and not _logging(n)
                    and any(isinstance(a, ast.Name) and a.id in names for a in _arguments(n))
                ):
                    return _executing_call(d, n, parents, depth + 1) or n
            return None
        elif isinstance(parent, ast.stmt):
            break
        node = parent
    return None if outer is None or _logging(outer) else outer


def _logging(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS) or (
        isinstance(func, ast.Name) and func.id == "print"
    )


def _replaces_first(model: ModuleModel, d: Definition) -> bool:
    """The body also deletes, merges or overwrites: the append is (likely) made idempotent."""
    for node in d.body_nodes:
        text = _string_text(node)
        if text is not None and (_REPLACING_SQL.search(text) or text in ("replaceWhere", "overwrite")):
            return True
    for _, call in d.calls:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in REPLACING_METHODS:
            return True
        if _mode_call(call) == "overwrite":
            return True
        for kw in call.keywords:
            values = REPLACING_WRITE_KEYWORDS.get(kw.arg or "")
            if values and literal_str(kw.value) in values:
                return True
            if kw.arg in ("overwrite", "replace") and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                return True
        mode = _file_mode(model, d, call)
        if mode is not None and mode.startswith(("w", "x")):
            return True
    return False


@rule(
    "DAG405",
    "append-only-write",
    "W",
    "{kind} `{name}` writes in append mode ({how}): running it again (a retry, a re-execution, a "
    "backfill) adds the same rows a second time; {fix}",
)
def append_only_write(model: ModuleModel):
    """Asset or op that appends to a table or file without replacing what a previous run wrote.

    ## What it does
    Reports, in an `@asset`, `@multi_asset`, `@op` or `@asset_check` body:
    - `df.to_sql(..., if_exists="append")`, polars `write_database(if_table_exists="append")`;
    - `mode="append"` (`write_deltalake`, `write_delta`, Spark `save`/`saveAsTable`) and
      Spark's `.mode("append")`;
    - BigQuery `write_disposition="WRITE_APPEND"`;
    - `open(path, "a")`, `Path.open("a")`, `df.to_csv(path, mode="a")`;
    - a SQL literal with `INSERT INTO` passed to a call (directly or through a variable).

    The patterns are listed in `dagster_lint/knowledge.py` (`APPEND_WRITE_KEYWORDS`,
    `APPEND_FILE_MODES`, `APPEND_SQL`). The rule stays quiet when the same body also removes
    or replaces data: SQL with `DELETE FROM`, `MERGE INTO`, `TRUNCATE`, `INSERT OVERWRITE`,
    `ON CONFLICT`, `CREATE OR REPLACE`, `DROP TABLE`, a temporary table or `WHERE NOT EXISTS`;
    a write with `if_exists="replace"`, `mode="overwrite"`, `WRITE_TRUNCATE`, `replaceWhere`;
    `.delete(...)`, `.overwrite(...)`, `os.remove`/`Path.unlink`; or a file opened with
    mode `"w"`. It does not check that the delete covers the same partition. Also quiet:
    writes to a destination named after the run (`context.run_id`, a timestamp from the
    clock, `uuid`, a temporary path), appends to `.log` files, INSERT statements that are only
    logged, dlt's `write_disposition="append"` (dlt deduplicates with incremental cursors),
    `INSERT` in a module that uses the Cassandra driver (CQL's `INSERT` replaces the row with
    the same primary key; `UPSERTING_INSERT_DRIVERS`), and test modules. A delete done by
    another op or asset before this one is not seen: a retry or a re-execution from failure of
    this step alone still appends twice.

    ## Why is this bad?
    Dagster re-runs steps: retries, re-executions from failure, backfills of partitions that
    were already materialized. An append adds the rows of the earlier attempt a second time,
    and every consumer counts them twice. A step is safe to re-run when it replaces the
    partition it writes.

    ## Example
    ```python
    @dg.asset(partitions_def=daily)
    def orders(context, warehouse: WarehouseResource, raw_orders):
        raw_orders.to_sql("orders", warehouse.engine(), if_exists="append")
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=daily)
    def orders(context, warehouse: WarehouseResource, raw_orders):
        with warehouse.engine().begin() as conn:
            conn.execute(sa.text("DELETE FROM orders WHERE day = :day"), {"day": context.partition_key})
            raw_orders.to_sql("orders", conn, if_exists="append")
    ```
    """
    if model.is_test_module:
        return
    for d in compute_bodies(model):
        writes = list(_append_writes(model, d))
        if not writes or _replaces_first(model, d):
            continue
        seen: set[int] = set()
        for node, how, fix, targets in writes:
            if id(node) in seen or _unique_per_run(model, d, targets):
                continue
            seen.add(id(node))
            yield Violation(node, kind=label(d), name=d.name, how=how, fix=fix)


# ----------------------------------------------------------------------------- DAG406

_EXIT_CALLS = frozenset({"sys.exit", "os._exit", "os.abort"})
_EXIT_BUILTINS = frozenset({"exit", "quit"})


@rule(
    "DAG406",
    "process-exit-in-asset",
    "E",
    "`{call}` in {kind} `{name}` ends the worker process: Dagster cannot record the step's outcome "
    "(the run fails without the error, or hangs); raise `{dg}Failure(description=...)` to fail the step, "
    "or `return` to end it early",
)
def process_exit_in_asset(model: ModuleModel):
    """`sys.exit()` or `exit()` in an asset or op body.

    ## What it does
    Reports `sys.exit(...)`, `os._exit(...)`, `os.abort()`, the builtins `exit(...)` and
    `quit(...)` (unless the module or function binds those names), and `raise SystemExit`
    in an `@asset`, `@multi_asset`, `@op` or `@asset_check` body, async ones included.
    Functions defined inside the body (a callback handed to a library) are not reported.

    ## Why is this bad?
    `SystemExit` is not an `Exception`: Dagster's step machinery does not catch it, so the
    process running the step exits instead of reporting a failure. Depending on the executor
    the run is marked failed without the reason, or stays "started" until run monitoring
    notices. `sys.exit(0)` does not mean success either: the step never yields its output.
    `os._exit` skips even the cleanup. A script's exit codes mean nothing inside a run.

    ## Example
    ```python
    @dg.asset
    def export(context, rows):
        if not rows:
            context.log.error("nothing to export")
            sys.exit(1)
        return write_export(rows)
    ```

    ## Use instead
    ```python
    @dg.asset
    def export(context, rows):
        if not rows:
            raise dg.Failure(description="nothing to export")
        return write_export(rows)
    ```
    """
    # By name alone first, as the module resolves them (a body may shadow one: checked below).
    raises = any(_raised_name(r) == "SystemExit" for r in model.nodes_of(ast.Raise))
    if (
        not raises
        and not any(name in model.calls for name in _EXIT_CALLS)
        and not any(type(call.func) is ast.Name and call.func.id in _EXIT_BUILTINS for call in model.all_calls)
    ):
        return
    dg = _dagster_prefix(model)
    for d in compute_bodies(model):
        found: list[ast.AST] = [
            call
            for name, call in d.calls
            if name in _EXIT_CALLS
            or (type(call.func) is ast.Name and call.func.id in _EXIT_BUILTINS
                and is_not_shadowed_builtin(d, call.func.id))
        ]
        if raises:
            found += [n for n in d.body_nodes if type(n) is ast.Raise and _raises_system_exit(d, n)]
        for node in sorted(found, key=lambda n: (n.lineno, n.col_offset)):  # type: ignore[attr-defined]
            # Code in a nested function or class runs when called, maybe not in the step.
            if not any(type(scope) in _NESTED_SCOPE_TYPES for scope in _ancestors(node, model.parents, d.node)):
                yield Violation(node, call=_segment(node, 40), kind=label(d), name=d.name, dg=dg)


_NESTED_SCOPE_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})


def _raised_name(node: ast.Raise) -> str | None:
    """`raise SystemExit(1)`, `raise SystemExit` -> "SystemExit"."""
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return exc.id if isinstance(exc, ast.Name) else None


def _raises_system_exit(d: Definition, node: ast.Raise) -> bool:
    return _raised_name(node) == "SystemExit" and is_not_shadowed_builtin(d, "SystemExit")


# ----------------------------------------------------------------------------- DAG407

_TIMEOUT_KINDS = COMPUTE_KINDS | {"sensor", "schedule", "resource"}
_STOCK_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})


@dataclass
class _HttpScope:
    """A function whose requests DAG407 checks, and how to name it in a message."""

    where: str
    waiting: str  # what hangs: "the run", "the sensor tick", ...
    func: ast.FunctionDef | ast.AsyncFunctionDef
    scope: object  # a Definition or a _Scope: what `qualname` consults for shadowing
    session_attrs: frozenset[str] = frozenset()  # `self.<attr>` holding a requests session


def _is_session_constructor(model: ModuleModel, expr: ast.AST | None, scope: object) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    return model.qualname(expr.func, scope) in REQUESTS_SESSION_CONSTRUCTORS  # type: ignore[arg-type]


def _sessions_in(model: ModuleModel, nodes: list[ast.AST], scope: object, target: type = ast.Name) -> set[str]:
    """Names (or `self.` attributes) bound to `requests.Session()`, unless the code configures the
    session in a way that can add a timeout (a custom adapter, a wrapped `request` method)."""
    bound: set[str] = set()
    for node in nodes:
        pairs: list[tuple[ast.AST, ast.AST | None]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign):
            pairs = [(node.target, node.value)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(item.optional_vars, item.context_expr) for item in node.items if item.optional_vars is not None]
        for t, value in pairs:
            if not _is_session_constructor(model, value, scope):
                continue
            if target is ast.Name and isinstance(t, ast.Name):
                bound.add(t.id)
            elif target is ast.Attribute and isinstance(t, ast.Attribute) and _root_name(t) == "self":
                bound.add(t.attr)
    configured: set[str] = set()
    values = {
        t.id: node.value
        for node in nodes
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mount":
            adapter = node.args[1] if len(node.args) > 1 else _keyword(node, "adapter")
            if isinstance(adapter, ast.Name):
                adapter = values.get(adapter.id)
            stock = (
                isinstance(adapter, ast.Call)
                and model.qualname(adapter.func, scope) in _STOCK_ADAPTERS  # type: ignore[arg-type]
            )
            if not stock:
                configured.add(_session_key(node.func.value, target))
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Attribute) and t.attr in HTTP_METHODS | {"send", "timeout"}:
                    configured.add(_session_key(t.value, target))
    return bound - configured


def _module_sessions(model: ModuleModel) -> set[str]:
    """Module-level names bound to `requests.Session()` that no code in the module configures."""
    top = [
        n
        for stmt in model.tree.body
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for n in ast.walk(stmt)
    ]
    bound = _sessions_in(model, top, None)
    configured: set[str] = set()
    for node in model.nodes_of(ast.Call, ast.Assign):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mount":
            configured.add(_session_key(node.func.value, ast.Name))
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Attribute) and t.attr in HTTP_METHODS | {"send"}:
                    configured.add(_session_key(t.value, ast.Name))
    return bound - configured


def _session_key(expr: ast.AST, target: type) -> str:
    if target is ast.Attribute:
        return expr.attr if isinstance(expr, ast.Attribute) and _root_name(expr) == "self" else ""
    return expr.id if isinstance(expr, ast.Name) else ""


def _http_scopes(model: ModuleModel) -> Iterator[_HttpScope]:
    for d in model.definitions:
        if d.kind in _TIMEOUT_KINDS:
            waiting = {"sensor": "the sensor tick", "schedule": "the schedule tick", "resource": "its caller"}.get(
                d.kind, "the run"
            )
            yield _HttpScope(f"{label(d)} `{d.name}`", waiting, d.node, d)
    for info in model.classes.values():
        if info.kind != "resource":
            continue
        class_nodes = [n for stmt in info.node.body for n in ast.walk(stmt)]
        attrs = frozenset(_sessions_in(model, class_nodes, None, ast.Attribute))
        for stmt in info.node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where = f"resource method `{info.node.name}.{stmt.name}`"
                scope = _Scope(names_bound(stmt.args, model.body_nodes(stmt)))
                yield _HttpScope(where, "its caller", stmt, scope, attrs)


@rule(
    "DAG407",
    "request-without-timeout",
    "W",
    "`{call}` in {where} {problem}: a server that stops answering keeps {waiting} waiting forever; pass "
    "`timeout=` in seconds (e.g. `timeout=30`)",
)
def request_without_timeout(model: ModuleModel):
    """HTTP request without a timeout in an asset, op, sensor, schedule or resource.

    ## What it does
    Reports `requests.get/post/put/patch/delete/head/options/request(...)` without a
    `timeout=` argument, and the same methods called on a variable bound to
    `requests.Session()` in the same function, at module level, or (for a `self.` attribute) in
    the same resource class. Also
    reports any `httpx` call that passes `timeout=None`. It checks the bodies of `@asset`,
    `@multi_asset`, `@op`, `@asset_check`, `@sensor`, `@schedule` and `@resource` functions,
    and the methods of `ConfigurableResource`/`IOManager` subclasses.

    `httpx` calls without `timeout=` are not reported: httpx applies a 5-second timeout by
    default; only `timeout=None` turns it off. Not reported either: calls that pass
    `**kwargs` (the timeout may be in them), sessions with a custom adapter mounted or a
    wrapped `request` method (a common way to set a default timeout), sessions and clients
    that come from elsewhere, helper functions, modules that answer HTTP with canned responses
    (`responses`, `requests_mock`, `respx`), and test modules.

    ## Why is this bad?
    `requests` waits for a response as long as the connection stays open; it has no default
    timeout. A server that accepts the connection and never answers keeps the step (or the
    sensor tick) running forever: the run never fails, retry policies never trigger, and the
    worker stays occupied until someone cancels it by hand.

    ## Example
    ```python
    @dg.asset
    def exchange_rates():
        return requests.get("https://api.example.com/rates").json()
    ```

    ## Use instead
    ```python
    @dg.asset
    def exchange_rates():
        return requests.get("https://api.example.com/rates", timeout=30).json()
    ```
    """
    if model.is_test_module or _mocks_http(model):
        return
    if not any(target.split(".")[0] in ("requests", "httpx") for target in model.imports.values()):
        return  # every call this rule knows resolves through an import of requests or httpx
    if not any(name.startswith(("requests.", "httpx.")) for name in model.calls):
        return  # nor a request, nor a session to send one (a session is made by a requests call)
    module_sessions: set[str] | None = None
    for hs in _http_scopes(model):
        nodes = model.body_nodes(hs.func)
        sessions: set[str] | None = None  # worked out for the first call that may use one
        for node in nodes:
            if type(node) is not ast.Call:
                continue
            func = node.func  # type: ignore[attr-defined]
            name = model.qualname(func, hs.scope) or ""  # type: ignore[arg-type]
            if name:
                if not name.startswith(("httpx.", "requests.")):
                    continue
            elif not (type(func) is ast.Attribute and func.attr in HTTP_METHODS):
                continue
            keywords = {kw.arg: kw.value for kw in node.keywords}  # type: ignore[attr-defined]
            if None in keywords:
                continue
            if name.startswith("httpx.") and "timeout" in keywords and is_none(keywords["timeout"]):
                problem = "passes `timeout=None`, which turns off httpx's default 5-second timeout"
            elif name.startswith("requests.") and name in NETWORK_CALLS and "timeout" not in keywords:
                problem = "has no `timeout=`, and requests has no default timeout"
            elif not name and "timeout" not in keywords:
                if sessions is None:
                    if module_sessions is None:
                        module_sessions = _module_sessions(model)
                    local = hs.scope.local_names  # type: ignore[attr-defined]
                    sessions = _sessions_in(model, nodes, hs.scope) | {s for s in module_sessions if s not in local}
                if not _is_session(func.value, sessions, hs.session_attrs):
                    continue
                problem = "has no `timeout=`, and a `requests.Session` has no default timeout"
            else:
                continue
            yield Violation(node, call=_call_display(node), where=hs.where, problem=problem, waiting=hs.waiting)


def _is_session(receiver: ast.AST, sessions: set[str], attrs: frozenset[str]) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in sessions
    return isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and (
        receiver.value.id == "self" and receiver.attr in attrs
    )


# ----------------------------------------------------------------------------- DAG408

# Methods that change a list, dict, set, DataFrame or Series in place.
_MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "update", "pop", "popitem", "remove", "clear", "setdefault", "add",
     "discard", "sort", "reverse", "insert_column", "drop_in_place", "replace_column"}
)
# Methods that return a new frame for the annotated frame type, despite the name.
_NOT_MUTATING_FOR = {
    "pandas.DataFrame": frozenset({"append"}),
    "polars.DataFrame": frozenset({"update", "insert"}),
    "polars.LazyFrame": _MUTATING_METHODS,
}
_OUTPUT_CALLS = frozenset({"dagster.Output"})


def _input_params(model: ModuleModel, d: Definition) -> dict[str, str]:
    """Parameters that receive upstream values, with their annotation's qualified name."""
    out: dict[str, str] = {}
    for p in d.params:
        if p is d.context_param or is_resource_annotation(model, p.annotation) or p.arg == "config":
            continue
        annotation = ""
        if p.annotation is not None:
            annotation = model.qualname(p.annotation) or ast.unparse(p.annotation)
            last = annotation.rsplit(".", 1)[-1]
            config = isinstance(p.annotation, ast.Name) and model.classes.get(p.annotation.id)
            if (config and config.kind == "config") or last.endswith(("Config", "Context")):
                continue
        out[p.arg] = annotation
    return out


def _returned(model: ModuleModel, d: Definition) -> set[str]:
    """Names the body returns or yields as the asset's value."""
    out: set[str] = set()
    for node in walk_no_nested_functions(d.node.body):
        if not isinstance(node, (ast.Return, ast.Yield)) or node.value is None:
            continue
        values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        for value in values:
            if isinstance(value, ast.Call) and model.qualname(value.func, d) in _OUTPUT_CALLS:
                value = value.args[0] if value.args else _keyword(value, "value")
            if isinstance(value, ast.Name):
                out.add(value.id)
    return out


def _mutation(node: ast.AST, param: str, annotation: str) -> str | None:
    """How `node` changes `param` in place, as displayed; None when it does not."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver, method = node.func.value, node.func.attr
        inplace = _keyword(node, "inplace")
        if isinstance(inplace, ast.Constant) and inplace.value is True:
            if _root_name(receiver) == param:
                return f"{_segment(node.func, 40)}(..., inplace=True)"
        base = receiver
        while isinstance(base, ast.Subscript):
            base = base.value
        if (
            method in _MUTATING_METHODS
            and isinstance(base, ast.Name)
            and base.id == param
            and method not in _NOT_MUTATING_FOR.get(annotation, frozenset())
        ):
            return f"{_segment(node.func, 40)}(...)"
    elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            if isinstance(t, (ast.Subscript, ast.Attribute)) and _root_name(t) == param:
                op = " = ..." if not isinstance(node, ast.AugAssign) else f" {_aug(node.op)}= ..."
                return f"{_segment(t, 40)}{op}"
    elif isinstance(node, ast.Delete):
        for t in node.targets:
            if isinstance(t, (ast.Subscript, ast.Attribute)) and _root_name(t) == param:
                return f"del {_segment(t, 40)}"
    return None


def _aug(op: ast.operator) -> str:
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.BitOr: "|"}.get(type(op), "?")


@rule(
    "DAG408",
    "input-mutated-in-place",
    "W",
    "{kind} `{name}` changes its input `{param}` in place (`{how}`) and returns it: when the upstream "
    "value is shared in memory (`dg.materialize` in tests, `mem_io_manager`), every other consumer of "
    "`{param}` sees the change; copy it first (`{param} = {param}.copy()`) or build a new value",
)
def input_mutated_in_place(model: ModuleModel):
    """Asset that modifies an upstream input in place and returns it as its own value.

    ## What it does
    Reports an `@asset` or `@multi_asset` that changes a parameter holding an upstream value
    (not the context, a resource or a config) in place and then returns or yields that same
    parameter (also as `Output(param)` or in a tuple):
    - a method call with `inplace=True` on it (`orders.dropna(inplace=True)`);
    - `.append`, `.extend`, `.insert`, `.update`, `.pop`, `.remove`, `.clear`, `.sort`, ... on
      it or on an item of it;
    - item or attribute assignment (`orders["total"] = ...`, `orders.loc[...] = ...`,
      `orders.columns = [...]`) and `del orders[...]`.

    It stays quiet when the parameter is rebound anywhere in the body
    (`orders = orders.copy()`), when the asset returns something else, for methods that
    return a new frame for the annotated type (`pd.DataFrame.append`, `pl.DataFrame.update`),
    and for changes made inside nested functions.

    ## Why is this bad?
    With an IO manager that hands the same object to every consumer (the in-memory IO
    manager `dg.materialize` uses in tests, `mem_io_manager`, an in-process job), the
    upstream asset's value changes under the other assets that read it, depending on which
    step ran first. Returning the mutated input also makes the two assets' values the same
    object, so a later change to one changes the other.

    ## Example
    ```python
    @dg.asset
    def clean_orders(raw_orders: pd.DataFrame) -> pd.DataFrame:
        raw_orders.dropna(subset=["order_id"], inplace=True)
        raw_orders["total"] = raw_orders["price"] * raw_orders["quantity"]
        return raw_orders
    ```

    ## Use instead
    ```python
    @dg.asset
    def clean_orders(raw_orders: pd.DataFrame) -> pd.DataFrame:
        orders = raw_orders.dropna(subset=["order_id"])
        return orders.assign(total=orders["price"] * orders["quantity"])
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        inputs = _input_params(model, d)
        if not inputs:
            continue
        returned = _returned(model, d) & set(inputs)
        if not returned:
            continue  # the common case: spare the walks below
        rebound = {
            n.id
            for n in walk_no_nested_functions(d.node.body)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        order = [a.arg for a in d.params]
        for param in sorted(returned - rebound, key=order.index):
            found = [
                (node, how)
                for node in walk_no_nested_functions(d.node.body)
                if (how := _mutation(node, param, inputs[param])) is not None
            ]
            if found:
                node, how = min(found, key=lambda f: (f[0].lineno, f[0].col_offset))
                yield Violation(node, kind=label(d), name=d.name, param=param, how=how)
