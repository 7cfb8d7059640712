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
    loads the matching upstream partition), when `context` is handed to a helper function, and
    for stub bodies.

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
    for d in model.of_kind("asset", "multi_asset"):
        if not _partitioned(d.kwarg("partitions_def")) or d.is_stub:
            continue
        ctx = d.context_param
        inputs = [p for p in d.params if p is not ctx and p.arg != "config" and not is_resource_annotation(model, p.annotation)]
        if inputs or d.node.args.vararg or d.node.args.kwarg:
            continue  # upstream partitions are loaded per partition: the data differs
        if ctx is None:
            yield at_def(d, kind=label(d), name=d.name, why="has no `context` parameter to read the partition from")
            continue
        if not _reads_partition(d.body_nodes, ctx.arg):
            yield at_def(d, kind=label(d), name=d.name, why="never reads its partition from `context`")


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


@rule(
    "DAG205",
    "partitions-start-date-dynamic",
    "E",
    "`{arg}` of `{cls}` is computed from the current time (`{call}()`): the set of partitions changes "
    "between loads and runs; use a fixed date string such as \"2024-01-01\"",
)
def partitions_start_date_dynamic(model: ModuleModel):
    """Time-window partitions whose start or end date is computed from the clock.

    ## What it does
    Reports `start_date=` or `end_date=` of `DailyPartitionsDefinition`,
    `HourlyPartitionsDefinition`, `WeeklyPartitionsDefinition`, `MonthlyPartitionsDefinition` or
    `TimeWindowPartitionsDefinition` built from `datetime.now()`, `date.today()`,
    `pendulum.now()`, `time.time()` and the like, directly or through a module-level constant.

    ## Why is this bad?
    The partitions definition is rebuilt every time the code location loads, so its first
    partition moves every day: partitions materialized earlier fall out of the definition, the
    UI shows different partitions to different processes, and backfills target partitions that
    no longer exist.

    ## Example
    ```python
    daily = dg.DailyPartitionsDefinition(start_date=datetime.now() - timedelta(days=30))
    ```

    ## Use instead
    ```python
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    ```
    To limit how far back a run reaches, select the partitions to backfill instead of moving
    the start date.
    """
    for cls in TIME_PARTITIONS:
        for call in model.calls_to(cls):
            arguments = dict(_kwargs(call))
            if call.args and not isinstance(call.args[0], ast.Starred) and cls != "dagster.TimeWindowPartitionsDefinition":
                arguments.setdefault("start_date", call.args[0])
            for arg in ("start_date", "end_date"):
                expr = arguments.get(arg)
                clock = _clock_call(model, expr) if expr is not None else None
                if clock is not None:
                    yield Violation(expr, arg=arg, cls=cls.rsplit(".", 1)[-1], call=clock)


def _kwargs(call: ast.Call):
    return ((kw.arg, kw.value) for kw in call.keywords if kw.arg)


def _clock_call(model: ModuleModel, expr: ast.expr, depth: int = 0) -> str | None:
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            name = model.qualname(node.func)
            if name in WALL_CLOCK_CALLS:
                return ".".join(name.split(".")[-2:])
        elif isinstance(node, ast.Name) and depth < 3 and node.id in model.constants and node.id not in model.imports:
            found = _clock_call(model, model.constants[node.id], depth + 1)
            if found:
                return found
    return None
