"""Partitions across files (DAG201, DAG202, DAG208, DAG209; mode P), from the literal
partitions definitions the project index reads (facts/partitions.py).

Partitions definitions are mostly module constants imported into the modules that use them
(`from .partitions import daily`): the index follows those imports. A definition with a
computed argument has a known kind but unknown partitions; rules that need the partitions
stay silent about it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from dagster_lint.keys import Produced, show
from dagster_lint.model import ModuleModel
from dagster_lint.project import Entry, ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._project import closest, production_entry

UNKNOWN = {"kind": "unknown"}
_COUNT_LIMIT = 100_000


# ----------------------------------------------------------------------------- resolution


def resolve_spec(project: ProjectIndex, entry: Entry, spec: dict | None, depth: int = 0) -> dict | None:
    """`spec` with its references to named definitions (here or imported) replaced by them."""
    if spec is None:
        return None
    if "ref" in spec:
        if depth > 6:
            return UNKNOWN
        found = project.lookup(entry, spec["ref"], _named_def, "partitions")
        if found is None:
            return UNKNOWN
        return resolve_spec(project, found[0], found[1], depth + 1)
    if spec.get("kind") == "multi" and spec.get("dims"):
        dims = {k: resolve_spec(project, entry, v, depth + 1) or UNKNOWN for k, v in spec["dims"].items()}
        return {**spec, "dims": dims}
    if spec.get("kind") == "time" and any(isinstance(v, dict) for v in spec.values()):
        return _with_constants(project, entry, spec)
    return spec


def _with_constants(project: ProjectIndex, entry: Entry, spec: dict) -> dict:
    """A time spec whose arguments name other modules' constants, with their values read."""
    out = dict(spec)
    for field, value in spec.items():
        if isinstance(value, dict) and "const" in value:
            found = project.constant(entry, value["const"])
            if isinstance(found, str):
                out[field] = found
            else:
                out[field] = None
                out["literal"] = False
    return out


def _named_def(entry: Entry, name: str) -> dict | None:
    return ((entry.summary.facts.get("partitions") or {}).get("defs") or {}).get(name)


def partitions_of(project: ProjectIndex, entry: Entry, produced: Produced) -> dict | None:
    """The resolved partitions definition of a produced key; None when unpartitioned."""
    def compute():
        facts = (entry.summary.facts.get("partitions") or {}).get("assets", [])
        for asset in facts:
            if asset["owner"] == produced.owner and asset["line"] == produced.line and (
                    "key" not in asset or tuple(asset["key"]) == produced.key):
                return resolve_spec(project, entry, asset["spec"])
        return None

    return project.memo(("partitions_of", entry.path, produced.key, produced.line), compute)


def _clean(spec: dict | None):
    """A spec without its source position, for comparing two definitions."""
    if not isinstance(spec, dict):
        return spec
    out = {k: v for k, v in spec.items() if k != "line"}
    if out.get("kind") == "multi" and out.get("dims"):
        out["dims"] = {k: _clean(v) for k, v in out["dims"].items()}
    return out


def literal(spec: dict | None) -> bool:
    """Whether every partition of the definition can be read from the source."""
    if not spec:
        return False
    kind = spec.get("kind")
    if kind == "time":
        return bool(spec.get("literal")) and isinstance(spec.get("start"), str)
    if kind == "static":
        return spec.get("keys") is not None
    if kind == "dynamic":
        return spec.get("name") is not None
    if kind == "multi":
        return bool(spec.get("dims")) and all(literal(d) for d in spec["dims"].values())
    return False


def describe(spec: dict) -> str:
    kind = spec.get("kind")
    if kind == "time":
        args = [f'start_date="{spec["start"]}"'] if isinstance(spec.get("start"), str) else []
        if isinstance(spec.get("end"), str):
            args.append(f'end_date="{spec["end"]}"')
        if spec.get("tz") not in (None, "UTC"):
            args.append(f'timezone="{spec["tz"]}"')
        if spec.get("end_offset"):
            args.append(f"end_offset={spec['end_offset']}")
        if spec.get("cls") == "TimeWindowPartitionsDefinition":
            args.insert(0, f'cron_schedule="{spec["cron"]}"')
        return f"{spec['cls']}({', '.join(args)})"
    if kind == "static":
        keys = spec.get("keys")
        if keys is None:
            return "StaticPartitionsDefinition(...)"
        shown = ", ".join(f'"{k}"' for k in keys[:4]) + (", ..." if len(keys) > 4 else "")
        return f"StaticPartitionsDefinition([{shown}])"
    if kind == "dynamic":
        name = spec.get("name")
        return f'DynamicPartitionsDefinition(name="{name}")' if name else "DynamicPartitionsDefinition(...)"
    if kind == "multi":
        dims = spec.get("dims") or {}
        return "MultiPartitionsDefinition({" + ", ".join(f'"{k}": {describe(v)}' for k, v in dims.items()) + "})"
    return "a partitions definition"


# ----------------------------------------------------------------------------- edges


def _partitioned_edges(project: ProjectIndex, entry: Entry):
    """(reference, downstream produced, its spec, upstream entry, upstream produced, its spec) of
    the linted module's dependencies without an explicit mapping, both sides partitioned and
    materializable."""
    own = {p.key: p for p in entry.summary.produced if not p.external}
    for ref in entry.summary.references:
        if ref.via == "check" or ref.mapped:
            continue
        resolved = project.resolve(entry, ref)
        for down_key in project.owner_keys(entry, ref):
            down = own.get(down_key)
            if down is None:
                continue
            down_spec = partitions_of(project, entry, down)
            if down_spec is None or down_spec.get("kind") == "unknown":
                continue
            for up_key in resolved.keys:
                found = project.producer(up_key, near=entry)
                if found is None or found[1].external or found[1].key == down_key:
                    continue
                up_entry, up = found
                up_spec = partitions_of(project, up_entry, up)
                if up_spec is None or up_spec.get("kind") == "unknown":
                    continue
                yield ref, down, down_spec, up_entry, up, up_spec


def _mapping_fix(down_spec: dict, up_spec: dict) -> str:
    kinds = {down_spec["kind"], up_spec["kind"]}
    if kinds == {"static"}:
        return "`dg.StaticPartitionMapping({...})`"
    if "multi" in kinds:
        return ("`dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name=...)` or "
                "`dg.MultiPartitionMapping({...})`")
    return "`dg.AllPartitionMapping()`, `dg.LastPartitionMapping()` or `dg.StaticPartitionMapping({...})`"


def _mismatch(down: dict, up: dict) -> str | None:
    """Why Dagster's default mapping cannot map `down`'s partitions onto `up`'s, or None."""
    dk, uk = down["kind"], up["kind"]
    if dk == uk == "time":
        return None  # TimeWindowPartitionMapping: see DAG202
    if "multi" in (dk, uk) and dk != uk:
        multi, single = (down, up) if dk == "multi" else (up, down)
        if not literal(multi) or not literal(single):
            return None
        dims = multi["dims"]
        if any(_clean(d) == _clean(single) for d in dims.values()):
            return None
        if single["kind"] == "time" and sum(d["kind"] == "time" for d in dims.values()) == 1:
            return None
        return (f"no dimension of the multi-partitions definition ({', '.join(dims)}) equals the other side's "
                "definition, so the default mapping cannot pick one and the code location fails to load")
    if dk != uk:
        return (f"Dagster's default `IdentityPartitionMapping` cannot map {dk} partitions onto {uk} ones, "
                "so the code location fails to load (\"Invalid partition mapping\")")
    if dk == "static":
        if down.get("keys") is None or up.get("keys") is None:
            return None
        missing = [k for k in down["keys"] if k not in set(up["keys"])]
        if not missing:
            return None
        shown = ", ".join(f'"{k}"' for k in missing[:3]) + (", ..." if len(missing) > 3 else "")
        verb = "has" if len(missing) == 1 else "have"
        return (f"{len(missing)} of its {len(down['keys'])} partitions ({shown}) {verb} no upstream partition of the "
                "same key, and materializing them fails")
    if dk == "dynamic":
        if down.get("name") is None or up.get("name") is None or down["name"] == up["name"]:
            return None
        return (f'the dynamic partitions "{down["name"]}" and "{up["name"]}" are separate sets: a downstream '
                "partition has an upstream only when someone adds the same key to both")
    if dk == "multi":
        if not literal(down) or not literal(up) or _clean(down) == _clean(up):
            return None
        if _time_dimension(down, up) is not None:
            return None  # only their time dimensions differ: DAG202
        return ("the two multi-partitions definitions differ, so most downstream partitions have no upstream "
                "partition of the same key")
    return None


@rule(
    "DAG201",
    "partition-mapping-missing",
    "E",
    "`{down}` ({down_def}) depends on `{up}` ({up_def}, {where}) without a `partition_mapping`: {why}; "
    "declare one, e.g. {fix}, on its `AssetIn`/`AssetDep`",
    mode="P",
)
def partition_mapping_missing(model: ModuleModel):
    """Dependent assets with incompatible partitions and no explicit partition mapping.

    ## What it does
    Follows every dependency of the module's assets (parameters, `ins=`, `deps=`, in this
    module or across files) to the upstream asset's definition, reads both partitions
    definitions (literals, module constants, and constants imported from other modules) and
    reports a dependency without `partition_mapping=` where Dagster's inferred mapping does not
    fit:

    - different kinds (time, static, dynamic): the default `IdentityPartitionMapping` fails
      the code location's load;
    - static partitions where some downstream keys are not upstream keys;
    - dynamic partitions of two different names;
    - a multi-partitions definition against a single one that matches none of its dimensions,
      or two multi-partitions definitions that differ.

    Two time-window definitions get a `TimeWindowPartitionMapping` by default (see DAG202).
    An unpartitioned asset on either side is fine for Dagster and not reported.

    It stays silent when either definition is computed (`StaticPartitionsDefinition(load_keys())`)
    or cannot be followed, when the upstream is external (`AssetSpec`) or produced by an asset
    factory, dbt or components, and for one-part keys whose group cannot be read. Runtime mode
    (`--runtime`) checks the loaded asset graph instead.

    ## Why is this bad?
    Dagster refuses to load a code location whose partitioned assets cannot be mapped onto
    each other, or, for static and dynamic keys that only partly match, fails every run of a
    downstream partition that has no upstream partition: backfills stop half-way.

    ## Example
    ```python
    # partitions.py
    regions = dg.StaticPartitionsDefinition(["eu", "us"])
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    # sales.py
    @dg.asset(partitions_def=regions)
    def regional_sales(): ...

    @dg.asset(partitions_def=daily)
    def daily_report(regional_sales): ...
    ```

    ## Use instead
    ```python
    @dg.asset(
        partitions_def=daily,
        ins={"regional_sales": dg.AssetIn(partition_mapping=dg.AllPartitionMapping())},
    )
    def daily_report(regional_sales): ...
    ```
    """
    project, entry = production_entry(model)
    if entry is None or not _has_partitions(project):
        return
    for ref, down, down_spec, up_entry, up, up_spec in _partitioned_edges(project, entry):
        why = _mismatch(down_spec, up_spec)
        if why is None:
            continue
        yield Violation(line=ref.line, col=ref.col, down=show(down.key), down_def=describe(down_spec),
                        up=show(up.key), up_def=describe(up_spec), where=project.where(up_entry, up.line),
                        why=why, fix=_mapping_fix(down_spec, up_spec))


def _has_partitions(project: ProjectIndex) -> bool:
    return bool(project.facts("partitions"))


# ----------------------------------------------------------------------------- DAG202


def _zone(name: str):
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # an unknown or unavailable zone: no claim
        return None


def _moment(spec: dict, field: str) -> datetime | None:
    """`start`/`end` of a time spec as a point in time, parsed as Dagster does (with `fmt`,
    else ISO 8601, in the definition's timezone)."""
    text = spec.get(field)
    if not isinstance(text, str) or not isinstance(spec.get("fmt"), str) or not isinstance(spec.get("tz"), str):
        return None
    return _parse_moment(text, spec["fmt"], spec["tz"])


@lru_cache(maxsize=1024)
def _parse_moment(text: str, fmt: str, tz: str) -> datetime | None:
    zone = _zone(tz)
    if zone is None:
        return None
    try:
        moment = datetime.strptime(text, fmt)
    except (ValueError, TypeError):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _start(spec: dict) -> datetime | None:
    """The first partition's start, as Dagster computes it (the first cron tick at or after
    `start_date`)."""
    moment = _moment(spec, "start")
    return _first_tick(spec["cron"], moment) if moment is not None else None


@lru_cache(maxsize=1024)
def _first_tick(cron: str, moment: datetime) -> datetime | None:
    from croniter import croniter

    try:
        return croniter(cron, moment - timedelta(seconds=1)).get_next(datetime)
    except Exception:  # an invalid cron string is DAG902's business
        return None


def _period(spec: dict) -> timedelta | None:
    return _cron_period(spec["cron"]) if isinstance(spec.get("cron"), str) else None


@lru_cache(maxsize=256)
def _cron_period(cron: str) -> timedelta | None:
    """The average length of a partition (over a year of ticks: months differ)."""
    from croniter import croniter

    try:
        it = croniter(cron, datetime(2001, 1, 1))
        first = it.get_next(datetime)
        ticks = [it.get_next(datetime) for _ in range(12)]
        return (ticks[-1] - first) / 12
    except Exception:
        return None


def _ticks_before(spec: dict, first: datetime, limit: datetime) -> int:
    from croniter import croniter

    it = croniter(spec["cron"], first - timedelta(seconds=1))
    count = 0
    while count <= _COUNT_LIMIT and it.get_next(datetime) < limit:
        count += 1
    return count


def _time_dimension(down: dict, up: dict) -> tuple[str, dict, dict] | None:
    """(name, downstream, upstream) of the time dimension two multi-partitions definitions with
    the same dimensions differ in, when it is the only one they differ in."""
    if down.get("kind") != "multi" or up.get("kind") != "multi" or not (literal(down) and literal(up)):
        return None
    down_dims, up_dims = down.get("dims") or {}, up.get("dims") or {}
    if set(down_dims) != set(up_dims):
        return None
    differing = [name for name in down_dims if _clean(down_dims[name]) != _clean(up_dims[name])]
    if len(differing) != 1:
        return None
    name = differing[0]
    if down_dims[name].get("kind") != "time" or up_dims[name].get("kind") != "time":
        return None
    return name, down_dims[name], up_dims[name]


def _multi_misalignment(down: dict, up: dict) -> str | None:
    """`_misalignment` for two multi-partitions definitions that differ in their time dimension.
    Dagster pairs their keys as text (identity), so another timezone or offset is wrong data."""
    found = _time_dimension(down, up)
    if found is None:
        return None
    name, down_time, up_time = found
    if down_time["tz"] != up_time["tz"] or down_time["cron"] != up_time["cron"]:
        what = (f"timezone {down_time['tz']} vs {up_time['tz']}" if down_time["tz"] != up_time["tz"]
                else f"cron `{down_time['cron']}` vs `{up_time['cron']}`")
        return (f"their `{name}` dimensions are shifted against each other ({what}): Dagster pairs the partition "
                "keys as text, so each downstream partition reads the data of another time window")
    inner = _misalignment(down_time, up_time)
    return f"in their `{name}` dimension, {inner}" if inner else None


def _misalignment(down: dict, up: dict) -> str | None:
    """How many downstream time partitions map onto upstream partitions that do not exist."""
    if not (literal(down) and literal(up)):
        return None
    d_start, u_start = _start(down), _start(up)
    if d_start is None or u_start is None:
        return None
    if u_start > d_start:
        count = _ticks_before(down, d_start, u_start)
        shown = f"more than {_COUNT_LIMIT}" if count > _COUNT_LIMIT else str(count)
        u_text, d_text = up["start"], down["start"]
        if up["tz"] != down["tz"]:
            u_text, d_text = f"{u_text} {up['tz']}", f"{d_text} {down['tz']}"
        plural = count != 1
        return (f"the upstream starts later ({u_text} vs {d_text}): the first {shown} downstream "
                f"partition{'s' * plural} map{'' if plural else 's'} to upstream partitions that do not exist")
    d_period, u_period = _period(down), _period(up)
    if d_period is None or u_period is None:
        return None
    if down["end_offset"] > up["end_offset"] and d_period == u_period:
        count = down["end_offset"] - up["end_offset"]
        return (f"its `end_offset={down['end_offset']}` exceeds the upstream's ({up['end_offset']}): the newest "
                f"{count} downstream partition{'s' * (count != 1)} map to upstream partitions that do not exist yet")
    shifted = down["tz"] != up["tz"] or down["cron"] != up["cron"]
    if d_period == u_period and d_period >= timedelta(days=1) and shifted:
        if down["tz"] != up["tz"]:
            what = f"timezone {down['tz']} vs {up['tz']}"
        else:
            what = f"cron `{down['cron']}` vs `{up['cron']}`"
        return (f"its windows are shifted against the upstream's ({what}): the newest downstream partition "
                "overlaps an upstream partition that does not exist yet")
    u_end, d_end = _moment(up, "end"), _moment(down, "end")
    if u_period > d_period and up["end_offset"] <= 0 and up.get("end") is None:
        count = max(round(u_period / d_period) - 1, 1)
        return (f"each upstream partition spans about {round(u_period / d_period)} downstream ones: up to {count} of "
                "the newest downstream partitions map to the current upstream partition, which does not exist "
                "until it ends")
    if u_end is not None and (down.get("end") is None or (d_end is not None and d_end > u_end)):
        return (f"the upstream ends at {up['end']}: every downstream partition after it maps to upstream "
                "partitions that do not exist")
    return None


@rule(
    "DAG202",
    "partition-window-misaligned",
    "E",
    "`{down}` ({down_def}) depends on `{up}` ({up_def}, {where}), but {why}; align the two definitions "
    "(import one shared definition) or declare `partition_mapping=dg.TimeWindowPartitionMapping(...)`",
    mode="P",
)
def partition_window_misaligned(model: ModuleModel):
    """Time-partitioned dependency where some downstream partitions have no upstream partitions.

    ## What it does
    For a dependency between two time-partitioned assets without `partition_mapping=` (in this
    module or across files, through imported partitions definitions), reads both definitions'
    literals and reports, with the number of downstream partitions affected:

    - an upstream `start_date` later than the downstream's;
    - a downstream `end_offset` larger than the upstream's;
    - windows of the same length shifted against each other (another `timezone`, or other
      `hour_offset`/`minute_offset`/`day_offset`);
    - a coarser upstream (daily into hourly): the newest downstream partitions map to an
      upstream partition that is not complete;
    - an upstream `end_date` before the downstream's end.

    Two multi-partitions definitions with the same dimensions that differ only in their time
    dimension are compared the same way; Dagster pairs their keys as text, so a dimension in
    another timezone (or with another cron offset) reads the data of another window.

    A different `fmt` alone is fine: the mapping works on time windows, not on key strings.

    It stays silent when either side has a computed argument (`start_date=os.environ[...]`),
    when the definition cannot be followed to literals, and when the upstream is external or
    produced by an asset factory, dbt or components. Runtime mode (`--runtime`) computes the
    mapping on the loaded asset graph instead.

    ## Why is this bad?
    Materializing a downstream partition whose upstream partitions do not exist fails
    ("depends on non-existent partitions"), and automation never materializes it: backfills
    stop at the edges and the newest partitions stay missing.

    ## Example
    ```python
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-06-01"))
    def events(): ...

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def sessions(events): ...
    ```

    ## Use instead
    ```python
    daily = dg.DailyPartitionsDefinition(start_date="2024-06-01")

    @dg.asset(partitions_def=daily)
    def events(): ...

    @dg.asset(partitions_def=daily)
    def sessions(events): ...
    ```
    """
    project, entry = production_entry(model)
    if entry is None or not _has_partitions(project):
        return
    for ref, down, down_spec, up_entry, up, up_spec in _partitioned_edges(project, entry):
        if down_spec["kind"] == up_spec["kind"] == "time":
            why = _misalignment(down_spec, up_spec)
        else:
            why = _multi_misalignment(down_spec, up_spec)
        if why is None:
            continue
        yield Violation(line=ref.line, col=ref.col, down=show(down.key), down_def=describe(down_spec),
                        up=show(up.key), up_def=describe(up_spec), where=project.where(up_entry, up.line), why=why)


# ----------------------------------------------------------------------------- DAG208


def _dynamic_definitions(project: ProjectIndex) -> tuple[dict[str, tuple[Entry, int]], list[tuple[Entry, int]]]:
    """Names of the project's dynamic partitions definitions, and the ones with computed names."""
    def compute():
        names: dict[str, tuple[Entry, int]] = {}
        computed: list[tuple[Entry, int]] = []
        for entry, facts in project.facts("partitions"):
            for site in facts.get("sites", []):
                for spec in _flatten(site["spec"]):
                    if spec.get("kind") != "dynamic":
                        continue
                    if spec.get("name") is None:
                        computed.append((entry, site["line"]))
                    else:
                        names.setdefault(spec["name"], (entry, site["line"]))
        for entry, opaque in project.opaque("components"):
            computed.append((entry, opaque.line))
        return names, computed

    return project.memo("dynamic_definitions", compute)


def _flatten(spec: dict | None):
    if not spec:
        return
    yield spec
    if spec.get("kind") == "multi":
        for dim in (spec.get("dims") or {}).values():
            yield from _flatten(dim)


@rule(
    "DAG208",
    "dynamic-partitions-name-unknown",
    "E",
    "{via} {what}: {effect}; {hint}",
    mode="P",
)
def dynamic_partitions_name_unknown(model: ModuleModel):
    """Dynamic partitions added to, or read from, a name no definition has.

    ## What it does
    Collects the names of every `DynamicPartitionsDefinition(name="...")` in the project
    (module constants and imported constants included) and reports a name that none of them
    has in `instance.add_dynamic_partitions("...", ...)`, `delete_dynamic_partition`,
    `get_dynamic_partitions`, `has_dynamic_partition`, `AddDynamicPartitionsRequest` and
    `DeleteDynamicPartitionsRequest(partitions_def_name=...)`, with the closest existing name.
    It also reports `.build_add_request(...)` on an object that is a partitions definition of
    another kind.

    It stays silent when some dynamic partitions definition of the project has a computed name,
    when YAML components may define one, and for names it cannot read. Dynamic partitions live
    in the Dagster instance, so a name defined by another project of the same deployment is
    reported too: declare it here, or add a `# noqa: DAG208`. The rule has no runtime twin.

    ## Why is this bad?
    Dagster adds the keys to a set no asset is partitioned by: the sensor reports success, the
    assets never get the new partitions, and runs requested for them fail.

    ## Example
    ```python
    files = dg.DynamicPartitionsDefinition(name="files")

    @dg.sensor(target=...)
    def new_files(context):
        context.instance.add_dynamic_partitions("file", ["a.csv"])
    ```

    ## Use instead
    ```python
    @dg.sensor(target=...)
    def new_files(context):
        return dg.SensorResult(dynamic_partitions_requests=[files.build_add_request(["a.csv"])])
    ```
    """
    project, entry = production_entry(model)
    if entry is None:
        return
    uses = (entry.summary.facts.get("partitions") or {}).get("dynamic_names")
    if not uses:
        return
    names, computed = _dynamic_definitions(project)
    if computed:
        return
    for use in uses:
        if "symbol" in use:
            spec = resolve_spec(project, entry, {"ref": use["symbol"]})
            if spec is None or spec.get("kind") in ("unknown", "dynamic"):
                continue
            yield Violation(line=use["line"], col=use["col"], via=use["via"],
                            what=f"is called on `{use['symbol']}`, a {spec['kind']} partitions definition",
                            effect="it has no dynamic partitions to add or delete, so the call fails",
                            hint="partition the assets by a `dg.DynamicPartitionsDefinition` instead")
            continue
        name = use.get("name")
        if name is None and "constant" in use:
            value = project.constant(entry, use["constant"])
            name = value if isinstance(value, str) else None
        if name is None or name in names:
            continue
        match = closest(name, list(names))
        hint = (f'did you mean "{match}" ({project.where(*names[match])})?' if match
                else "define it with `dg.DynamicPartitionsDefinition(name=...)` on the assets it partitions")
        yield Violation(line=use["line"], col=use["col"], via=use["via"],
                        what=f'names the dynamic partitions definition "{name}", which this project does not define',
                        effect=_dynamic_effect(use["via"]), hint=hint)


# ----------------------------------------------------------------------------- DAG209


def _dynamic_effect(via: str) -> str:
    if "add" in via or "delete" in via:
        return "the keys go to a set no asset is partitioned by"
    return "it reads a set no asset is partitioned by, which stays empty"


def _identity(spec: dict) -> tuple | None:
    """What makes two constructions "the same definition" (possibly with drifted arguments)."""
    kind = spec.get("kind")
    if kind == "time":
        custom = spec.get("cls") == "TimeWindowPartitionsDefinition"
        return ("time", spec.get("cls"), spec.get("cron") if custom else None)
    if kind == "static" and spec.get("keys") is not None:
        return ("static", tuple(spec["keys"]))
    if kind == "dynamic" and spec.get("name") is not None:
        return ("dynamic", spec["name"])
    if kind == "multi" and literal(spec):
        return ("multi", tuple(sorted((k, _identity(v)) for k, v in spec["dims"].items())))
    return None


def _sites(project: ProjectIndex) -> dict[tuple, list[tuple[Entry, dict]]]:
    """Literal partitions-definition constructions by identity and code location."""
    def compute():
        out: dict[tuple, list[tuple[Entry, dict]]] = {}
        for entry, facts in project.facts("partitions"):
            for site in facts.get("sites", []):
                spec = resolve_spec(project, entry, site["spec"])
                if site["in_function"] or not literal(spec):
                    continue
                site = {**site, "spec": spec}
                identity = _identity(spec)
                if identity is not None:
                    out.setdefault((entry.group, identity), []).append((entry, site))
        return out

    return project.memo("partition_sites", compute)


# Spec fields by the argument names users write.
_ARGUMENTS = {"start": "start_date", "end": "end_date", "tz": "timezone", "fmt": "fmt", "end_offset": "end_offset",
              "cron": "cron_schedule"}


def _differences(spec: dict, other: dict) -> list[str]:
    return [k for k in _ARGUMENTS if spec.get(k) != other.get(k)]


def _difference(spec: dict, other: dict) -> str:
    changed = _differences(spec, other)
    if not changed:
        return "with the same arguments"
    k = changed[0]
    return f"with {_ARGUMENTS[k]}={other.get(k)!r} where this one has {spec.get(k)!r}"


@rule(
    "DAG209",
    "partitions-def-redefined",
    "C",
    "{this} is also constructed at {where} ({diff}){more}: define it once{named} and import it, so that "
    "the assets that share it cannot drift apart",
    mode="P",
)
def partitions_def_redefined(model: ModuleModel):
    """The same partitions definition constructed inline in several places.

    ## What it does
    Reports a partitions definition built inline from literals (in `partitions_def=...` of a
    decorator or spec, rather than bound to a module constant) when the same definition is
    constructed elsewhere in the code location too, inline or as a module constant: the same
    time-window class (its `start_date` and other arguments may differ: that is the drift this
    rule is for), the same static keys, the same dynamic name. The message names the other
    place, the first argument that differs, and the constant to import when there is one.

    Module constants themselves are not reported (two differently named daily definitions may
    be meant to differ); definitions built inside functions (factories) or with computed
    arguments are not compared; test modules are not counted. The rule has no runtime twin:
    the loaded `Definitions` no longer say where a definition was constructed.

    ## Why is this bad?
    Copies drift: one asset's `start_date` moves and its dependencies start mapping onto
    partitions that do not exist (DAG202), or a static key is added to one copy only.
    Dagster also compares definitions by value, so a copy that differs in any argument breaks
    the default partition mappings between the assets.

    ## Example
    ```python
    # orders.py
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def orders(): ...

    # payments.py
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-02"))
    def payments(): ...
    ```

    ## Use instead
    ```python
    # partitions.py
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    # orders.py, payments.py
    from .partitions import daily

    @dg.asset(partitions_def=daily)
    def orders(): ...
    ```
    """
    project, entry = production_entry(model)
    if entry is None:
        return
    facts = (entry.summary.facts.get("partitions") or {}).get("sites")
    if not facts:
        return
    sites = _sites(project)
    for site in facts:
        spec = resolve_spec(project, entry, site["spec"])
        if site["name"] or site["in_function"] or not literal(spec) or _identity(spec) is None:
            continue  # a module constant is the definition others should import
        others = [(e, s) for e, s in sites.get((entry.group, _identity(spec)), [])
                  if not (e is entry and s["line"] == site["line"] and s["col"] == site["col"])]
        if not others:
            continue
        # The closest first: fewest differing arguments, then a constant to import.
        others.sort(key=lambda found: (len(_differences(spec, found[1]["spec"])), found[1]["name"] is None))
        other_entry, other = others[0]
        named = f" (as `{other['name']}` there already is)" if other["name"] else ""
        more = f" and {len(others) - 1} more place{'s' * (len(others) > 2)}" if len(others) > 1 else ""
        yield Violation(line=site["line"], col=site["col"], this=f"`{describe(spec)}`",
                        where=project.where(other_entry, other["line"]), diff=_difference(spec, other["spec"]),
                        more=more, named=named)
