"""DAG2xx: partitions."""

from __future__ import annotations

import ast

from dagster_lint.knowledge import PARTITION_ATTR_MARKER, TIME_PARTITIONS, WALL_CLOCK_CALLS
from dagster_lint.model import ModuleModel
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, is_resource_annotation, label


def _partitioned(expr: ast.expr | None) -> bool:
    return expr is not None and not (isinstance(expr, ast.Constant) and expr.value is None)


@rule(
    "DAG204",
    "partitioned-asset-ignores-partition",
    "E",
    "{kind} `{name}` is partitioned but {why}: every partition computes the same data; "
    "read `context.partition_key` (or `context.partition_time_window`) to select the partition's data",
)
def partitioned_asset_ignores_partition(model: ModuleModel):
    """Partitioned asset that never reads which partition it is computing.

    ## What it does
    Reports an `@asset` or `@multi_asset` with `partitions_def=` whose body never reads the
    partition from its context (`context.partition_key`, `partition_keys`,
    `partition_key_range`, `partition_time_window`, `asset_partition_key_for_output()`, ...)
    or has no `context` parameter at all.

    It stays quiet when the asset takes an upstream asset as a parameter (the IO manager
    loads the matching upstream partition), when `context` is handed to a helper function, when
    it takes a `config` that a sensor or schedule of the module sets per partition (a
    `RunRequest` with both `partition_key=` and `run_config=`), for
    stub bodies, and in test modules (a test builds throwaway partitioned assets to exercise an
    IO manager, a sensor or a backfill).

    ## Why is this bad?
    Each partition runs the same code with the same inputs, so every partition stores the same
    data: a backfill of a year of daily partitions writes one result 365 times, and the
    partition you ask for is not the data you get.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_orders(context: dg.AssetExecutionContext):
        return fetch_orders()
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_orders(context: dg.AssetExecutionContext):
        return fetch_orders(day=context.partition_key)
    ```
    """
    if model.is_test_module:
        return
    configured_per_partition = _requests_partitions_with_config(model)
    for d in model.of_kind("asset", "multi_asset"):
        if not _partitioned(d.kwarg("partitions_def")) or d.is_stub:
            continue
        if configured_per_partition and any(p.arg == "config" for p in d.params):
            continue  # a sensor or schedule of the module gives each partition's run its config
        ctx = d.context_param
        inputs = [
            p
            for p in d.params
            if p is not ctx and p.arg != "config" and not is_resource_annotation(model, p.annotation)
        ]
        if inputs or d.node.args.vararg or d.node.args.kwarg:
            continue  # upstream partitions are loaded per partition: the data differs
        if ctx is None:
            yield at_def(d, kind=label(d), name=d.name, why="has no `context` parameter to read the partition from")
            continue
        if not _reads_partition(d.body_nodes, ctx.arg):
            yield at_def(d, kind=label(d), name=d.name, why="never reads its partition from `context`")


def _requests_partitions_with_config(model: ModuleModel) -> bool:
    """A `RunRequest` of the module sets both `partition_key=` and `run_config=`: the runs it
    launches select each partition's data through their config (`batch_id=...`)."""
    return any(
        {"partition_key", "run_config"} <= {kw.arg for kw in call.keywords}
        for call in model.calls_to("dagster.RunRequest")
    )


def _reads_partition(nodes: list[ast.AST], ctx: str) -> bool:
    attribute_values = set()
    for node in nodes:
        if isinstance(node, ast.Attribute):
            attribute_values.add(id(node.value))
            root = node
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id == ctx and PARTITION_ATTR_MARKER in node.attr:
                return True
    # `context` used as a whole (passed to a helper, stored, returned): assume the partition is read.
    return any(
        isinstance(n, ast.Name) and n.id == ctx and isinstance(n.ctx, ast.Load) and id(n) not in attribute_values
        for n in nodes
    )


# Where each time-window class takes its bounds: (argument, keyword, position).
_BOUNDS = {
    "dagster.TimeWindowPartitionsDefinition": (("start", 0), ("end", 2)),
}
_DATE_BOUNDS = (("start_date", 0), ("end_date", 1))

# Definitions whose body runs during a run or a tick, not when the code location loads: a
# partitions definition built there is a throwaway date range, not the one assets are stored by.
_RUNTIME_KINDS = frozenset(
    {"asset", "multi_asset", "op", "asset_check", "observable_source_asset", "sensor", "schedule", "resource"}
)


@rule(
    "DAG205",
    "partitions-start-date-dynamic",
    "E",
    "`{arg}` of `{cls}` is computed from the current time ({source}): the set of partitions changes "
    "between loads and runs; {fix}",
)
def partitions_start_date_dynamic(model: ModuleModel):
    """Time-window partitions whose start or end date is computed from the clock.

    ## What it does
    Reports `start_date=` or `end_date=` of `DailyPartitionsDefinition`,
    `HourlyPartitionsDefinition`, `WeeklyPartitionsDefinition` or `MonthlyPartitionsDefinition`
    (by keyword or position), and `start=` or `end=` of `TimeWindowPartitionsDefinition`, built
    from `datetime.now()`, `date.today()`, `pendulum.now()`, `time.time()`,
    `pd.Timestamp.now()` and the like, directly or through a module-level constant.

    It stays quiet in test modules, and inside the body of an asset, op, sensor or schedule,
    where a partitions definition is built at run time to list a window of dates rather than to
    partition an asset.

    ## Why is this bad?
    The partitions definition is rebuilt every time the code location loads, so its first
    partition moves every day: partitions materialized earlier fall out of the definition, the
    UI shows different partitions to different processes, and backfills target partitions that
    no longer exist. An end date read from the clock freezes the last partition at load time,
    so a long-running code location stops creating new partitions.

    ## Example
    ```python
    daily = dg.DailyPartitionsDefinition(start_date=datetime.now() - timedelta(days=30))
    ```

    ## Use instead
    ```python
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    ```
    To limit how far back a run reaches, select the partitions to backfill instead of moving
    the start date. Leave the end date out: the partitions extend to the current time.
    """
    if model.is_test_module:
        return
    runtime: set[int] | None = None
    for cls in TIME_PARTITIONS:
        for call in model.calls_to(cls):
            keywords = dict(_kwargs(call))
            positional = [] if any(isinstance(a, ast.Starred) for a in call.args) else call.args
            for arg, position in _BOUNDS.get(cls, _DATE_BOUNDS):
                expr = keywords.get(arg)
                if expr is None and position < len(positional):
                    expr = positional[position]
                # Names bound around the call only hide clocks: without a clock when nothing is
                # hidden (a date string, the common case) there is none, and the costlier
                # questions below are not asked.
                if expr is None or _clock_call(model, expr, frozenset()) is None:
                    continue
                if runtime is None:
                    runtime = {id(n) for d in model.definitions if d.kind in _RUNTIME_KINDS for n in d.body_nodes}
                if id(call) in runtime:
                    break
                found = _clock_call(model, expr, _bound_names_around(model, [call]).get(id(call), frozenset()))
                if found is not None:
                    clock, via = found
                    source = f"`{clock}()`" + (f" through `{via}`" if via else "")
                    fix = (
                        f"leave out `{arg}`, and the partitions extend to the current time on their own"
                        if arg.startswith("end")
                        else 'use a fixed date string such as "2024-01-01"'
                    )
                    yield Violation(expr, arg=arg, cls=cls.rsplit(".", 1)[-1], source=source, fix=fix)


def _kwargs(call: ast.Call):
    return ((kw.arg, kw.value) for kw in call.keywords if kw.arg)


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *_COMPREHENSIONS)


def _bound_names_around(model: ModuleModel, targets: list[ast.AST]) -> dict[int, frozenset[str]]:
    """For each target node, the names bound by the functions, classes and comprehensions around it.

    Such a name (a parameter `datetime`, a local `start`) hides the module-level import or
    constant of the same name.
    """
    out: dict[int, frozenset[str]] = {}
    by_id = {id(n): n for n in targets}
    bound: dict[int, frozenset[str]] = {}  # per scope: many targets share the same scopes
    for key, node in by_id.items():
        names: frozenset[str] = frozenset()
        child = node
        for scope in model.ancestors(node):
            if isinstance(scope, _SCOPES):
                # Decorators and defaults run in the enclosing scope: only the body sees these names.
                has_body = isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                if not has_body or any(child is stmt for stmt in scope.body):
                    if id(scope) not in bound:
                        bound[id(scope)] = _bound_in(scope)
                    names |= bound[id(scope)]
            child = scope
        if names:
            out[key] = names
    return out


def _bound_in(scope: ast.AST) -> frozenset[str]:
    """Names a function, lambda, class body or comprehension binds in its own scope."""
    names: set[str] = set()
    if isinstance(scope, _COMPREHENSIONS):
        body: list[ast.AST] = [gen.target for gen in scope.generators]
    elif isinstance(scope, ast.ClassDef):
        body = list(scope.body)
    else:
        args = scope.args
        names.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
        body = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    stack = body
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue  # what a nested scope binds stays there
        elif isinstance(node, (ast.Lambda, *_COMPREHENSIONS)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(names)


def _clock_call(
    model: ModuleModel, expr: ast.expr, bound: frozenset[str], via: str | None = None, depth: int = 0
) -> tuple[str, str | None] | None:
    """The wall-clock call `expr` is computed from, and the module constant it goes through."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in bound:
                continue
            name = model.qualname(node.func)
            if name in WALL_CLOCK_CALLS:
                return ".".join(name.split(".")[-2:]), via
        elif (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and depth < 3
            and node.id not in bound
            and node.id in model.constants
            and node.id not in model.imports
        ):
            found = _clock_call(model, model.constants[node.id], frozenset(), via or node.id, depth + 1)
            if found:
                return found
    return None
