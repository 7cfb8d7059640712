"""Schedules and sensors against the project's jobs (DAG207, DAG906; mode P), from
facts/jobs.py and the partitions the index reads."""

from __future__ import annotations

import re

from dagster_lint.keys import show
from dagster_lint.model import ModuleModel
from dagster_lint.project import Entry, ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._project import closest, production_entry
from dagster_lint.rules.project_partitions import describe, partitions_of, resolve_spec

# Dagster's implicit job of all assets.
IMPLICIT_JOBS = frozenset({"__ASSET_JOB"})


def _graph_name(entry: Entry, name: str) -> str | None:
    return ((entry.summary.facts.get("jobs") or {}).get("graphs") or {}).get(name)


def _jobs(project: ProjectIndex) -> tuple[dict[str, tuple[Entry, dict]], list[tuple[Entry, dict]]]:
    """Job names the project defines (with where), and the jobs whose names cannot be read."""
    def compute():
        names: dict[str, tuple[Entry, dict]] = {}
        opaque: list[tuple[Entry, dict]] = []
        for entry, facts in project.facts("jobs"):
            for job in facts.get("jobs", []):
                name = job["name"]
                if name is None and job.get("graph"):
                    found = project.lookup(entry, job["graph"], _graph_name, "graph")
                    name = found[1] if found is not None else None
                if name is None:
                    opaque.append((entry, {"line": job["line"], "reason": "a job of a graph of unknown name",
                                           "pattern": None}))
                    continue
                names.setdefault(name, (entry, job))
            opaque.extend((entry, o) for o in facts.get("opaque", []))
        for entry, o in project.opaque("components"):
            opaque.append((entry, {"line": o.line, "reason": o.reason, "pattern": None}))
        return names, opaque

    return project.memo("jobs", compute)


@rule(
    "DAG906",
    "unknown-job-target",
    "E",
    "{via} names job \"{name}\", which this project does not define: {effect}; {hint}",
    mode="P",
)
def unknown_job_target(model: ModuleModel):
    """Schedule, sensor or run request naming a job that does not exist.

    ## What it does
    Collects the names of every job in the project (`define_asset_job("...")`, `@job`
    functions and their `name=`, `graph.to_job(name=...)`, jobs that integrations build from a
    `job_name=`) and reports a `job_name="..."` that none of them has, on `RunRequest`,
    `ScheduleDefinition`, `SensorDefinition` and the `@schedule`/`@sensor` decorators, with
    the closest existing name. Constants, here or imported, are read like literals.

    It stays silent about names that a job it cannot read might have (a computed or f-string
    name, a job factory, YAML components) and about names it cannot read. Runtime mode
    (`--runtime`) checks the loaded `Definitions` instead.

    ## Why is this bad?
    A `ScheduleDefinition` or sensor whose job does not exist makes the code location fail to
    load; a sensor's `RunRequest` for an unknown job fails the tick that requests it, so the run
    the sensor was written for never starts.

    ## Example
    ```python
    orders_job = dg.define_asset_job("orders_job", selection=[orders])

    @dg.sensor(job_name="order_job")
    def new_orders(context): ...
    ```

    ## Use instead
    ```python
    @dg.sensor(job=orders_job)
    def new_orders(context): ...
    ```
    """
    project, entry = production_entry(model)
    if entry is None:
        return
    refs = (entry.summary.facts.get("jobs") or {}).get("refs")
    if not refs:
        return
    names, opaque = _jobs(project)
    if any(o["pattern"] is None for _, o in opaque):
        return
    for ref in refs:
        name = ref.get("name")
        if name is None:
            value = project.constant(entry, ref["constant"])
            name = value if isinstance(value, str) else None
        if name is None or name in names or name in IMPLICIT_JOBS:
            continue
        if any(re.fullmatch(o["pattern"], name) for _, o in opaque):
            continue
        match = closest(name, list(names))
        if match is not None:
            where_entry, job = names[match]
            hint = f'did you mean "{match}" ({project.where(where_entry, job["line"])})?'
        else:
            hint = "pass the job object (`job=...`) instead of its name, so that Python catches a wrong one"
        yield Violation(line=ref["line"], col=ref["col"], via=ref["via"], name=name,
                        effect="the code location fails to load, or the tick that requests it fails", hint=hint)


# ----------------------------------------------------------------------------- DAG207


def _job_by_var(entry: Entry, name: str) -> dict | None:
    for job in (entry.summary.facts.get("jobs") or {}).get("jobs", []):
        if job["var"] == name:
            return job
    return None


def _target_job(project: ProjectIndex, entry: Entry, target: dict) -> tuple[dict | None, list[dict] | None, Entry]:
    """(job, selection, where the job is) that a schedule runs; job or selection None when unknown."""
    if "job" in target:
        return target["job"], target["job"].get("selection"), entry
    if "name" in target:
        names, _ = _jobs(project)
        found = names.get(target["name"])
        return (found[1], found[1].get("selection"), found[0]) if found else (None, None, entry)
    if "symbol" in target:
        found = project.lookup(entry, target["symbol"], _job_by_var, "job")
        if found is not None:
            return found[1], found[1].get("selection"), found[0]
        keys = project.symbol_keys(entry, target["symbol"])
        return (None, [{"key": list(k)} for k in keys], entry) if keys else (None, None, entry)
    return None, target.get("selection"), entry


def _first_partitioned(project: ProjectIndex, entry: Entry, selection: list[dict]):
    """The first selected asset that is partitioned, (key, spec, entry, produced); None when
    none is; "unknown" when some selected asset cannot be followed."""
    for item in selection:
        if "symbol" in item:
            keys = project.symbol_keys(entry, item["symbol"])
            if not keys:
                return "unknown"
        else:
            keys = [tuple(item["key"])]
        for key in keys:
            found = project.producer(key, near=entry)
            if found is None:
                return "unknown"
            spec = partitions_of(project, found[0], found[1])
            if spec is not None:
                return key, spec, found[0], found[1]
    return None


@rule(
    "DAG207",
    "schedule-on-partitioned-job",
    "E",
    "schedule `{owner}` runs {what}, {partitioned}, without choosing a partition: every tick launches a run "
    "with no partition key, which fails where the asset reads "
    "its partition and stores unpartitioned data elsewhere; use `dg.build_schedule_from_partitioned_job(...)`, "
    "or return `dg.RunRequest(partition_key=...)` from a `@dg.schedule`",
    mode="P",
)
def schedule_on_partitioned_job(model: ModuleModel):
    """Schedule that runs partitioned assets without choosing a partition.

    ## What it does
    Follows a `ScheduleDefinition(job=..., target=..., job_name=...)` or `@schedule(...)` to
    the job or asset selection it runs (in this module or imported), and reports it when the
    job is partitioned (`define_asset_job(partitions_def=...)`, `@job(partitions_def=...)`) or
    selects a partitioned asset (`selection=[orders]`, `AssetSelection.assets(...)`,
    `AssetSelection.keys(...)`), while the schedule does not choose a partition.

    A `@schedule` whose body mentions partitions (`RunRequest(partition_key=...)`,
    `job.run_request_for_partition(...)`, a `"dagster/partition"` tag) and a
    `ScheduleDefinition` with its own `run_config`, `tags` or `execution_fn` are assumed to
    choose one. It stays silent when the selection cannot be followed to assets whose
    definitions it reads (groups, `AssetSelection.all()`, computed selections), and for
    `build_schedule_from_partitioned_job`. Runtime mode (`--runtime`) checks the loaded
    `Definitions` instead.

    ## Why is this bad?
    Each tick launches a run without a partition key: an asset that reads
    `context.partition_key` fails ("Cannot access partition_key for a non-partitioned run"),
    and one that does not writes its data without a partition, so the partitions the schedule
    was meant to fill stay missing.

    ## Example
    ```python
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    @dg.asset(partitions_def=daily)
    def orders(context): ...

    orders_job = dg.define_asset_job("orders_job", selection=[orders])
    orders_schedule = dg.ScheduleDefinition(job=orders_job, cron_schedule="0 1 * * *")
    ```

    ## Use instead
    ```python
    orders_schedule = dg.build_schedule_from_partitioned_job(orders_job)
    ```
    """
    project, entry = production_entry(model)
    if entry is None:
        return
    schedules = (entry.summary.facts.get("jobs") or {}).get("schedules")
    if not schedules:
        return
    for schedule in schedules:
        if schedule["aware"] or schedule["target"] is None:
            continue
        job, selection, job_entry = _target_job(project, entry, schedule["target"])
        partitioned = None
        if job is not None and job.get("partitions") is not None:
            spec = resolve_spec(project, job_entry, job["partitions"])
            partitioned = f"which is partitioned by `{describe(spec)}`"
        elif (job is None or job["kind"] == "asset_job") and selection is not None:
            found = _first_partitioned(project, job_entry, selection)
            if found is not None and found != "unknown":
                key, spec, asset_entry, produced = found
                partitioned = (f"whose asset `{show(key)}` is partitioned by `{describe(spec)}` "
                               f"({project.where(asset_entry, produced.line)})")
        if partitioned is None:
            continue
        what = f"job `{job['name']}` ({project.where(job_entry, job['line'])})" if job else "an asset selection"
        # An unnamed ScheduleDefinition is named after its job.
        owner = schedule["owner"] or (f"{job['name']}_schedule" if job else "(unnamed)")
        yield Violation(line=schedule["line"], col=schedule["col"], owner=owner, what=what, partitioned=partitioned)
