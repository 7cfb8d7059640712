"""Partition alignment, decided by Dagster's own partition mappings (DAG201-203, 206, 207).

The child evaluated, for every dependency between partitioned assets, the mapping Dagster
uses (explicit or inferred) over every downstream partition at the fixed evaluation time, and
recorded how many downstream partitions need upstream partitions that do not exist, and the
largest fan-in. These checks only classify and word what Dagster computed.
"""

from __future__ import annotations

from typing import Iterator

from dagster_lint.registry import runtime_rule
from dagster_lint.runtime.graph import Edge, show
from dagster_lint.runtime.rules._common import (
    Graph,
    hit,
    label,
    mapping_offsets,
    short_mapping,
    time_difference,
    time_parts,
)

# Mappings Dagster infers when the two sides are of a kind it knows how to relate.
_TIME_MAPPINGS = ("TimeWindowPartitionMapping", "MultiToSingleDimensionPartitionMapping")


def _partitioned_edges(graph: Graph) -> Iterator[tuple[Edge, dict, dict]]:
    for edge in graph.facts.edges:
        child, parent = graph.sides(edge)
        down, up = graph.partitions(child), graph.partitions(parent)
        if child is not None and child.kind != "stub" and down is not None and up is not None:
            yield edge, down, up


def _dimension_names(desc: dict) -> list[str]:
    return sorted(d["dimension"] for d in desc["dimensions"])


def _non_time_dimensions(desc: dict) -> dict[str, dict]:
    return {
        d["dimension"]: {k: v for k, v in d.items() if k != "class"} for d in desc["dimensions"] if d["kind"] != "time"
    }


def _time_pairing(edge: Edge, down: dict, up: dict) -> list[tuple[dict, dict]] | None:
    """The time-window parts that Dagster lines up on this edge, or None when the pair is not a
    time-window relation (then DAG201 decides)."""
    if down["kind"] == "time" and up["kind"] == "time":
        return [(down, up)]
    if down["kind"] == "multi" and up["kind"] == "multi":
        if _dimension_names(down) != _dimension_names(up) or _non_time_dimensions(down) != _non_time_dimensions(up):
            return None
        ups = time_parts(up)
        return [(d, ups[name]) for name, d in time_parts(down).items()]
    if edge.mapping in _TIME_MAPPINGS and time_parts(down) and time_parts(up):
        # multi <-> single: the one time dimension against the single definition
        return [(next(iter(time_parts(down).values())), next(iter(time_parts(up).values())))]
    return None


def _where(graph: Graph, edge: Edge):
    child, parent = graph.sides(edge)
    return graph.locate.reference(child, parent, edge.parent)


def _missing(edge: Edge) -> str:
    a = edge.alignment
    return (
        f"{a.affected} of {a.downstream} partitions of `{show(edge.child)}` need partitions of "
        f"`{show(edge.parent)}` that do not exist (e.g. `{a.example}` needs `{a.missing}`)"
    )


@runtime_rule(
    "DAG202",
    "partition-window-misaligned",
    "E",
    "`{child}` ({down}) and its upstream `{parent}` ({up}) do not line up: {reason}; {effect}; "
    "use one partitions definition for both, or an explicit `partition_mapping`",
    provisional=True,
)
def partition_window_misaligned(graph: Graph):
    """Time-window partitions of dependent assets do not line up.

    ## What it does
    Reports a dependency between time-partitioned assets (also a time dimension of a
    multi-partitions definition) where Dagster's partition mapping sends some downstream
    partitions to upstream partitions that do not exist, or cannot map them at all: the
    upstream starts later, has a different `end_offset`, another `timezone`, another cron
    offset or key format. The message says how many downstream partitions are affected and
    gives an example.

    ## Why is this bad?
    Dagster accepts the definitions. The affected partitions fail when they run or are
    backfilled ("depends on non-existent partitions"), automation never requests them, and
    with different timezones the mapping raises at run time, or (between multi-partitions,
    whose keys are compared as text) silently reads a window shifted by hours.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-02-01"))
    def raw_events(context): ...

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), deps=[raw_events])
    def sessions(context): ...
    ```

    ## Use instead
    ```python
    daily = dg.DailyPartitionsDefinition(start_date="2024-02-01")

    @dg.asset(partitions_def=daily)
    def raw_events(context): ...

    @dg.asset(partitions_def=daily, deps=[raw_events])
    def sessions(context): ...
    ```

    ## Runtime mode
    Evaluates the mapping Dagster uses (explicit or inferred) over every downstream partition
    at the evaluation time (`evaluation-time`, default 2030-01-01 12:00 UTC), with no dynamic
    partitions. An explicit `TimeWindowPartitionMapping` is allowed the partitions its own
    offsets put out of range (the first day of `start_offset=-1`).
    """
    for edge, down, up in _partitioned_edges(graph):
        pairs = _time_pairing(edge, down, up)
        alignment = edge.alignment
        if pairs is None or alignment is None:
            continue
        reasons = [r for r in (time_difference(d, u) for d, u in pairs) if r]
        reason = "; ".join(reasons) or "their windows differ"
        if alignment.error:
            effect = f"Dagster cannot map them ({alignment.error})"
        elif alignment.affected > (mapping_offsets(edge) if edge.explicit else 0):
            effect = _missing(edge)
        elif edge.mapping not in _TIME_MAPPINGS and _shifted(pairs):
            # Identity between time windows compares keys as text: equal keys, other windows.
            effect = (
                f"`{edge.mapping}` matches their partition keys as text, but each key stands for another time window"
            )
        else:
            continue
        yield hit(_where(graph, edge), child=show(edge.child), down=label(down), parent=show(edge.parent),
                  up=label(up), reason=reason, effect=effect)


def _shifted(pairs: list[tuple[dict, dict]]) -> bool:
    return any(d["timezone"] != u["timezone"] or d["cron"] != u["cron"] for d, u in pairs)


@runtime_rule(
    "DAG201",
    "partition-mapping-missing",
    "E",
    "`{child}` ({down}) depends on `{parent}` ({up}) without a `partition_mapping`: Dagster maps them "
    "with `{mapping}`, {effect}; pass `partition_mapping=` in the `dg.AssetIn(...)`/`dg.AssetDep(...)`",
    provisional=True,
)
def partition_mapping_missing(graph: Graph):
    """Dependent assets with different kinds of partitions and no partition mapping.

    ## What it does
    Reports a dependency between partitioned assets whose partitions are of different kinds
    (time windows, static, dynamic, multi) or of the same kind with keys, names or dimensions
    that do not match, when no `partition_mapping` is given.

    ## Why is this bad?
    Dagster infers `IdentityPartitionMapping` for such pairs: each downstream partition depends
    on the upstream partition with the same key, which usually does not exist. Loading
    succeeds; runs, backfills and automation of those partitions fail or never start.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["eu", "us"]))
    def regional_sales(context): ...

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["europe", "america"]), deps=[regional_sales])
    def continent_sales(context): ...
    ```

    ## Use instead
    ```python
    @dg.asset(
        partitions_def=dg.StaticPartitionsDefinition(["europe", "america"]),
        deps=[dg.AssetDep(regional_sales, partition_mapping=dg.StaticPartitionMapping(
            {"eu": "europe", "us": "america"}))],
    )
    def continent_sales(context): ...
    ```

    ## Runtime mode
    Uses the mapping Dagster infers for each dependency of the loaded graph, evaluated over
    every downstream partition (static → time-window pairs included, which Dagster rejects only
    in full validation). Dynamic partitions have no partitions at lint time: two dynamic
    definitions with different names, or dynamic against another kind, are reported from
    their definitions alone.
    """
    for edge, down, up in _partitioned_edges(graph):
        if edge.explicit or _time_pairing(edge, down, up) is not None:
            continue
        effect = _mismatch(edge, down, up)
        if effect is not None:
            yield hit(_where(graph, edge), child=show(edge.child), down=label(down), parent=show(edge.parent),
                      up=label(up), mapping=edge.mapping, effect=effect)


def _mismatch(edge: Edge, down: dict, up: dict) -> str | None:
    alignment = edge.alignment
    if alignment is not None and alignment.error:
        return f"which fails: {alignment.error}"
    if alignment is not None and alignment.affected:
        return "so " + _missing(edge)
    kinds = {down["kind"], up["kind"]}
    if "dynamic" in kinds and down != up:
        # No partitions exist at lint time: the definitions alone say it.
        if kinds == {"dynamic"}:
            return f'so a partition added to "{down["name"]}" needs a partition of the same key in "{up["name"]}"'
        return "so every partition needs an upstream partition of the same key, which the other kind never has"
    if down["kind"] == "multi" and up["kind"] == "multi" and _dimension_names(down) != _dimension_names(up):
        return f"but the dimensions differ ({', '.join(_dimension_names(down))} vs {', '.join(_dimension_names(up))})"
    return None


@runtime_rule(
    "DAG203",
    "partition-fan-in-large",
    "W",
    "each partition of `{child}` ({down}) needs {qualifier}{fan_in} partitions of `{parent}` ({up}), e.g. "
    "`{example}`: more than `fan-in-limit` = {limit}; aggregate in an intermediate asset with a coarser "
    "partitioning, or raise `fan-in-limit` if this is intended",
)
def partition_fan_in_large(graph: Graph):
    """One downstream partition depends on very many upstream partitions.

    ## What it does
    Reports a dependency where one partition of the downstream asset needs more upstream
    partitions than `fan-in-limit` (default 100) under Dagster's partition mapping: hourly →
    monthly is up to 744. Set the limit in `[tool.dagster-lint]`: `fan-in-limit = 200`.

    ## Why is this bad?
    Each run of a downstream partition loads every one of those upstream partitions through
    the IO manager (memory, and one read each), and waits for all of them: a single missing
    hour blocks the month; a backfill of the upstream requests the downstream partitions
    again and again.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00"))
    def events(context): ...

    @dg.asset(partitions_def=dg.MonthlyPartitionsDefinition(start_date="2024-01-01"))
    def monthly_report(context, events): ...
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_events(context, events): ...

    @dg.asset(partitions_def=dg.MonthlyPartitionsDefinition(start_date="2024-01-01"))
    def monthly_report(context, daily_events): ...
    ```

    ## Runtime mode
    Measured with Dagster's mapping on every downstream partition, or on 1,000 evenly spaced
    ones when there are more (the message then says "at least"). An explicit
    `AllPartitionMapping` and unpartitioned downstream assets are not reported: reading
    everything is what they ask for.
    """
    limit = graph.options.fan_in_limit
    for edge, down, up in _partitioned_edges(graph):
        alignment = edge.alignment
        if alignment is None or alignment.max_fan_in <= limit:
            continue
        if edge.explicit and edge.mapping == "AllPartitionMapping":
            continue
        yield hit(_where(graph, edge), child=show(edge.child), down=label(down), parent=show(edge.parent),
                  up=label(up), fan_in=alignment.max_fan_in, qualifier="at least " if alignment.fan_in_sampled else "",
                  example=alignment.fan_in_example, limit=limit)


@runtime_rule(
    "DAG206",
    "partition-mapping-without-effect",
    "W",
    "`partition_mapping={mapping}` on `{child}`'s dependency on `{parent}` has no effect: `{parent}` is not "
    "partitioned, so every run of `{child}` reads all of it; remove the mapping, or partition `{parent}`",
)
def partition_mapping_without_effect(graph: Graph):
    """A partition mapping on a dependency whose upstream asset is not partitioned.

    ## What it does
    Reports an explicit `partition_mapping` (in `AssetIn`, `AssetDep` or `partition_mappings=`)
    on a dependency whose upstream asset has no partitions.

    ## Why is this bad?
    Dagster ignores the mapping: the whole upstream asset is the dependency of every
    downstream partition. The mapping suggests a per-partition read that does not happen,
    usually because the upstream asset lost its `partitions_def` or the mapping was put on the
    wrong dependency.

    ## Example
    ```python
    @dg.asset
    def customers(): ...

    @dg.asset(
        partitions_def=daily,
        ins={"customers": dg.AssetIn(partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1))},
    )
    def orders(context, customers): ...
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=daily)
    def orders(context, customers): ...
    ```

    ## Runtime mode
    Compares the explicit mappings of the loaded graph with the partitions of their upstream
    assets, including mappings set by factories and integrations.
    """
    for edge in graph.facts.edges:
        child, parent = graph.sides(edge)
        if not edge.explicit or child is None or parent is None or parent.kind == "stub":
            continue
        if graph.partitions(parent) is None:
            yield hit(
                _where(graph, edge), mapping=short_mapping(edge), child=show(edge.child), parent=show(edge.parent)
            )


@runtime_rule(
    "DAG207",
    "schedule-on-partitioned-job",
    "E",
    "schedule `{name}` runs `{job}`, which is partitioned ({partitions}), without choosing a partition: "
    "each tick launches a run that fails; build it with `dg.build_schedule_from_partitioned_job(...)` from "
    "`{job}`, or return `dg.RunRequest(partition_key=...)` from a `@schedule` function",
    provisional=True,
)
def schedule_on_partitioned_job(graph: Graph):
    """Schedule that runs a partitioned job without selecting a partition.

    ## What it does
    Reports a `ScheduleDefinition(...)` or `@schedule` whose job is partitioned (a partitioned
    job, or an asset job over partitioned assets) when it does not choose a partition: built
    neither by `build_schedule_from_partitioned_job` nor with a function that passes
    `partition_key` to its `RunRequest`.

    ## Why is this bad?
    A run of a partitioned job needs a partition. Every tick launches a run that fails at
    once ("No partition key provided"); nothing in the UI says the schedule never did
    anything useful.

    ## Example
    ```python
    daily_job = dg.define_asset_job("daily_job", selection=[daily_orders])
    daily_schedule = dg.ScheduleDefinition(job=daily_job, cron_schedule="0 1 * * *")
    ```

    ## Use instead
    ```python
    daily_job = dg.define_asset_job("daily_job", selection=[daily_orders])
    daily_schedule = dg.build_schedule_from_partitioned_job(daily_job)
    ```

    ## Runtime mode
    Uses the jobs as Dagster resolved them, so an asset job is partitioned when its selected
    assets are, even if the job itself names no `partitions_def`. A `@schedule` function is
    left alone when its body mentions `partition_key`.
    """
    jobs = {j.name: j for j in graph.facts.jobs}
    for schedule in graph.facts.schedules:
        job = jobs.get(schedule.job or "")
        if job is None or job.partitions is None or schedule.style == "partitioned":
            continue
        if schedule.style == "function" and _chooses_partition(graph, schedule):
            continue
        partitions = graph.facts.partitions.get(job.partitions)
        yield hit(graph.locate.named("schedule", schedule.name, schedule.location), name=schedule.name, job=job.name,
                  partitions=label(partitions))


def _chooses_partition(graph: Graph, schedule) -> bool:
    """Whether the schedule's function reads or passes a partition key (static look at its body)."""
    place = graph.locate.at(schedule.location)
    if place is None:
        return True  # cannot read it: assume it does
    for model in graph.locate.models:
        if model.path == place[0]:
            for d in model.of_kind("schedule"):
                if d.line == place[1]:
                    return "partition_key" in model.segment(d.node)
    return True
