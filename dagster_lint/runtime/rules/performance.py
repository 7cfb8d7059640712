"""I/O between the assets of the loaded graph (DAG606)."""

from __future__ import annotations

from dagster_lint.registry import runtime_rule
from dagster_lint.runtime.graph import show
from dagster_lint.runtime.rules._common import Graph, hit, label


@runtime_rule(
    "DAG606",
    "whole-upstream-loaded-for-partition",
    "W",
    "every partition of `{child}` ({down}) loads all of `{parent}`, which is not partitioned, through the "
    "IO manager: each of its runs reads the whole table; depend on it with `deps=[...]` and read only "
    "what the partition needs, or partition `{parent}` too",
)
def whole_upstream_loaded_for_partition(graph: Graph):
    """Partitioned asset that loads a whole unpartitioned upstream asset as a parameter.

    ## What it does
    Reports a parameter of a partitioned asset that loads an upstream asset without
    partitions through its IO manager.

    ## Why is this bad?
    Every partition run loads the complete upstream value into memory, once per partition: a
    backfill of a year of daily partitions reads the whole table 365 times, even when each
    partition needs one day of it.

    ## Example
    ```python
    @dg.asset
    def all_events(): ...

    @dg.asset(partitions_def=daily)
    def daily_sessions(context, all_events): ...
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=daily, deps=[all_events])
    def daily_sessions(context, warehouse: WarehouseResource):
        day = context.partition_key
        events = warehouse.query("select * from events where day = %s", day)
    ```

    ## Runtime mode
    Uses the loaded graph: which upstream assets are partitioned, and which dependencies are
    loaded inputs rather than `deps=`.
    """
    for edge in graph.facts.edges:
        child, parent = graph.sides(edge)
        if not edge.loaded or child is None or parent is None or parent.kind == "stub":
            continue
        down = graph.partitions(child)
        if down is not None and graph.partitions(parent) is None:
            yield hit(graph.locate.reference(child, parent, edge.parent), child=show(edge.child), down=label(down),
                      parent=show(edge.parent))
