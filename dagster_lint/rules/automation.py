"""DAG9xx: sensors and schedules."""

from __future__ import annotations

import ast
from datetime import datetime
from typing import Iterator

from dagster_lint.knowledge import TIME_PARTITIONS
from dagster_lint.model import Definition, ModuleModel, call_kwargs, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import at_def, is_none

# Where Dagster takes a cron string: (callee, keyword, position of the argument or None).
# A list or tuple there is checked element by element (Dagster accepts several crons).
_CRON_ARGUMENTS = (
    ("dagster.schedule", "cron_schedule", 0),
    ("dagster.ScheduleDefinition", "cron_schedule", None),
    ("dagster.build_schedule_from_partitioned_job", "cron_schedule", None),
    ("dagster.TimeWindowPartitionsDefinition", "cron_schedule", None),
    ("dagster.AutomationCondition.on_cron", "cron_schedule", 0),
    ("dagster.AutomationCondition.cron_tick_passed", "cron_schedule", 0),
    ("dagster.AutoMaterializeRule.materialize_on_cron", "cron_schedule", 0),
    ("dagster.build_last_update_freshness_checks", "deadline_cron", None),
    ("dagster.build_time_partition_freshness_checks", "deadline_cron", None),
    ("dagster.FreshnessPolicy.cron", "deadline_cron", 0),
    ("dagster.FreshnessPolicy", "cron_schedule", None),  # before Dagster 1.11
    ("dagster.LegacyFreshnessPolicy", "cron_schedule", None),
    *((cls, "exclusions", None) for cls in TIME_PARTITIONS),
)

_FIELDS = (
    ("minute", "minutes are 0-59"),
    ("hour", "hours are 0-23"),
    ("day-of-month", "days are 1-31 or L"),
    ("month", "months are 1-12 or JAN-DEC"),
    ("day-of-week", "weekdays are 0-7 or SUN-SAT"),
)
_SHORTCUTS = "@hourly, @daily, @weekly, @monthly or @yearly"
_FIVE_FIELDS = 'five fields (minute hour day-of-month month day-of-week), e.g. "0 6 * * *"'


def is_valid_cron(cron: str) -> bool:
    """Dagster's own test: croniter accepts it, it has five fields, and it is not Feb 30/31."""
    from croniter import croniter  # imported only when a module has a cron literal

    try:
        if not croniter.is_valid(cron):
            return False
        expanded, *_ = croniter.expand(cron)
    except Exception:  # croniter raises assorted errors on odd input
        return False
    if len(expanded) != 5:
        return False
    if len(expanded[3]) == 1 and expanded[3][0] == 2 and len(expanded[2]) == 1 and expanded[2][0] in (30, 31):
        return False
    return True


def _cron_problem(cron: str, keyword: str) -> str:
    """What is wrong with a cron string `is_valid_cron` rejects, and what to write instead."""
    fields = cron.split()
    if keyword == "exclusions" and len(fields) == 1:
        try:
            day = datetime.fromisoformat(fields[0])
        except ValueError:
            pass
        else:
            return f"a date in `exclusions` must be a `datetime`, e.g. `datetime({day.year}, {day.month}, {day.day})`"
    if not fields:
        return f"the string is empty; use {_FIVE_FIELDS}"
    if len(fields) == 1 and fields[0].startswith("@"):
        return f'"{fields[0]}" is not a shortcut Dagster knows; use {_SHORTCUTS}, or {_FIVE_FIELDS}'
    if len(fields) != 5:
        count = f"{len(fields)} field" + ("" if len(fields) == 1 else "s")
        extra = " (Dagster has no seconds or years field)" if len(fields) > 5 else ""
        return f"it has {count}{extra}; use {_FIVE_FIELDS}"
    for i, (name, allowed) in enumerate(_FIELDS):
        probe = ["*"] * 5
        probe[i] = fields[i]
        if not is_valid_cron(" ".join(probe)):
            return (
                f'the {name} field "{fields[i]}" is not valid ({allowed}; '
                "ranges such as 1-5, lists such as 1,3 and steps such as */2 are allowed)"
            )
    if fields[3] in ("2", "02") or fields[3].lower() == "feb":
        last_day = " ".join([*fields[:2], "L", *fields[3:]])
        return f'February {fields[2]} never comes; for the last day of the month write "L", e.g. "{last_day}"'
    return f"use {_FIVE_FIELDS}"


def _cron_literals(model: ModuleModel) -> Iterator[tuple[ast.expr, str]]:
    """Each cron argument Dagster validates, with the keyword it is passed as."""
    for callee, keyword, position in _CRON_ARGUMENTS:
        calls = list(model.calls_to(callee))
        if callee == "dagster.schedule":
            calls += [d.call for d in model.of_kind("schedule") if d.call is not None and d.call not in calls]
        for call in calls:
            value = call_kwargs(call).get(keyword)
            if value is None and position is not None and len(call.args) > position:
                value = call.args[position]
            if isinstance(value, (ast.List, ast.Tuple)):
                yield from ((elt, keyword) for elt in value.elts)
            elif value is not None:
                yield value, keyword


@rule(
    "DAG902",
    "invalid-cron",
    "E",
    "\"{cron}\" is not a cron schedule Dagster accepts, so the code location fails to load: {problem}",
)
def invalid_cron(model: ModuleModel):
    """Cron string that Dagster rejects.

    ## What it does
    Validates string literals given as `cron_schedule` to `@schedule`, `ScheduleDefinition`,
    `build_schedule_from_partitioned_job`, `TimeWindowPartitionsDefinition`,
    `AutomationCondition.on_cron` / `cron_tick_passed`,
    `AutoMaterializeRule.materialize_on_cron` and (legacy) freshness policies, `deadline_cron`
    of `FreshnessPolicy.cron` and the freshness-check builders, and the strings in
    `exclusions=` of time-window partitions definitions, with the same test Dagster applies:
    croniter must accept it, it must have five fields (no seconds), and it must not name
    February 30 or 31. A list of crons is checked element by element; crons built at run time
    (variables, f-strings) are not checked, nor are test modules.

    ## Why is this bad?
    Dagster raises when the definitions load: the whole code location fails, not just the
    schedule, and the error shows up only after deploying.

    ## Example
    ```python
    dg.ScheduleDefinition(job=daily_job, cron_schedule="0 6 * * * *")
    ```

    ## Use instead
    ```python
    dg.ScheduleDefinition(job=daily_job, cron_schedule="0 6 * * *")
    ```
    """
    if model.is_test_module:
        return  # tests pass invalid crons on purpose, to check that Dagster rejects them
    seen: set[int] = set()
    for node, keyword in _cron_literals(model):
        cron = literal_str(node)
        if cron is None or id(node) in seen:
            continue
        seen.add(id(node))
        if not is_valid_cron(cron):
            yield Violation(node, cron=cron, problem=_cron_problem(cron, keyword))


# ----------------------------------------------------------------------------- shared helpers

_SENSOR_CONSTRUCTORS = (
    "dagster.SensorDefinition",
    "dagster.AssetSensorDefinition",
    "dagster.MultiAssetSensorDefinition",
    "dagster.RunStatusSensorDefinition",
    "dagster.AutomationConditionSensorDefinition",
    "dagster.build_sensor_for_freshness_checks",
)
# Factories that take `default_status=` but no `minimum_interval_seconds=`.
_SENSOR_FACTORIES = ("dagster.make_email_on_run_failure_sensor",)
_SCHEDULE_CONSTRUCTORS = ("dagster.ScheduleDefinition", "dagster.build_schedule_from_partitioned_job")


def _dg(model: ModuleModel) -> str:
    """How this module spells Dagster's names in a suggestion: `dg.`, `dagster.` or nothing."""
    aliases = sorted(local for local, name in model.imports.items() if name == "dagster")
    if "dg" in aliases:
        return "dg."
    return f"{aliases[0]}." if aliases else ""


def _has_star_kwargs(call: ast.Call | None) -> bool:
    return call is not None and any(kw.arg is None for kw in call.keywords)


class _Names:
    """What the source says about the name of each schedule or sensor a call constructs."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model

    def _assigned(self, call: ast.Call) -> str | None:
        """`nightly = dg.ScheduleDefinition(...)` at module level -> "nightly" (a local variable in a
        factory names nothing the reader can look up)."""
        parent = self.model.parent(call)
        if self.model.parent(parent) is not self.model.tree:
            return None
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return parent.targets[0].id
        if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name) and parent.value is call:
            return parent.target.id
        return None

    def describe(self, kind: str, call: ast.Call, default: str | None = None) -> str:
        """`schedule `nightly``, or `schedule built in `make_schedule`` when it has no name in the source."""
        node = call_kwargs(call).get("name")
        if node is None and call.args and kind in ("schedule", "sensor") and default is None:
            node = call.args[0]  # `name` is the first positional parameter of the definition classes
        name = _shown_name(node) or default or (self._assigned(call) if node is None or is_none(node) else None)
        if name:
            return f"{kind} `{name}`"
        return _built_in(self.model, kind, call)


def _shown_name(node: ast.expr | None) -> str | None:
    """A name as the source spells it: `"nightly"` -> nightly, `f"{job}_nightly"` -> {job}_nightly."""
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"  # type: ignore[attr-defined]
            for v in node.values
        )
    return literal_str(node)


def _built_in(model: ModuleModel, kind: str, node: ast.AST) -> str:
    """`schedule built in `make_schedule``: for a definition whose name is computed in a factory."""
    for parent in model.ancestors(node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return f"{kind} built in `{parent.name}`"
    return f"{kind} built here"


def _int_value(model: ModuleModel, node: ast.expr | None, depth: int = 0) -> int | None:
    """The value of an integer expression made of literals and module constants (`15 * 60`)."""
    if node is None or depth > 5:
        return None
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name) and node.id in model.constants:
        return _int_value(model, model.constants[node.id], depth + 1)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _int_value(model, node.operand, depth + 1)
        return -value if value is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)):
        left, right = _int_value(model, node.left, depth + 1), _int_value(model, node.right, depth + 1)
        if left is None or right is None or (isinstance(node.op, ast.FloorDiv) and right == 0):
            return None
        ops = {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.Mult: int.__mul__, ast.FloorDiv: int.__floordiv__}
        return ops[type(node.op)](left, right)
    return None


# ----------------------------------------------------------------------------- DAG901

# Calls that move a sensor's cursor forward (`SensorEvaluationContext.update_cursor`,
# `MultiAssetSensorEvaluationContext.advance_all_cursors` / `advance_cursor`).
_CURSOR_METHODS = frozenset({"update_cursor", "advance_all_cursors", "advance_cursor"})
# DagsterInstance methods a sensor uses to look at the runs it already launched.
_RUN_HISTORY_METHODS = frozenset({"get_runs", "get_run_records", "get_runs_count", "get_run_ids"})
# Dagster objects a sensor passes its context to without handing over the cursor.
_REQUEST_CLASSES = frozenset({"dagster.RunRequest", "dagster.SensorResult", "dagster.SkipReason"})


class _Scope:
    """The names a lambda binds, for `ModuleModel.qualname`."""

    def __init__(self, local_names: frozenset[str]) -> None:
        self.local_names = local_names


class _SensorFunction:
    """The evaluation function of a sensor whose cursor is the user's to manage."""

    def __init__(self, what: str, multi: bool, nodes: list[ast.AST], scope, context: str | None, interval: int | None):
        self.what = what  # "sensor `new_files`"
        self.multi = multi
        self.nodes = nodes
        self.scope = scope
        self.context = context
        self.interval = interval


def _first_positional(args: ast.arguments) -> str | None:
    positional = [*args.posonlyargs, *args.args]
    return positional[0].arg if positional else None


def _sensor_functions(model: ModuleModel) -> Iterator[_SensorFunction]:
    # `@asset_sensor` and the run status sensors advance their cursor themselves.
    for d in model.of_kind("sensor"):
        if d.decorator in ("dagster.sensor", "dagster.multi_asset_sensor"):
            multi = d.decorator == "dagster.multi_asset_sensor"
            yield _SensorFunction(
                f"{'multi-asset sensor' if multi else 'sensor'} `{literal_str(d.kwarg('name')) or d.name}`",
                multi,
                d.body_nodes,
                d,
                _first_positional(d.node.args),
                _int_value(model, d.kwarg("minimum_interval_seconds")),
            )
    functions = {
        f.name: f
        for f in model.tree.body
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and not f.decorator_list
    }
    names = _Names(model)
    for call in model.calls_to("dagster.SensorDefinition"):
        kwargs = call_kwargs(call)
        fn = kwargs.get("evaluation_fn")
        interval = _int_value(model, kwargs.get("minimum_interval_seconds"))
        if isinstance(fn, ast.Lambda):
            bound = frozenset(a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs])
            what = names.describe("sensor", call)
            nodes = list(ast.walk(fn.body))
            yield _SensorFunction(what, False, nodes, _Scope(bound), _first_positional(fn.args), interval)
        elif isinstance(fn, ast.Name) and fn.id in functions:
            func = functions[fn.id]
            d = Definition("sensor", "dagster.SensorDefinition", func, call, None, model, nested=False)
            what = names.describe("sensor", call, func.name if "name" not in kwargs and not call.args else None)
            yield _SensorFunction(what, False, d.body_nodes, d, _first_positional(func.args), interval)


def _without_run_key(call: ast.Call) -> bool:
    if _has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    if call.args:  # `run_key` is RunRequest's first positional parameter
        return is_none(call.args[0])
    kwargs = call_kwargs(call)
    return "run_key" not in kwargs or is_none(kwargs["run_key"])


def _advances_cursor(model: ModuleModel, sensor: _SensorFunction) -> bool:
    for node in sensor.nodes:
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _CURSOR_METHODS:
            return True
        if model.qualname(node.func, sensor.scope) == "dagster.SensorResult":
            cursor = call_kwargs(node).get("cursor")
            if _has_star_kwargs(node) or (cursor is not None and not is_none(cursor)):
                return True
    return False


def _checks_run_history(sensor: _SensorFunction) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RUN_HISTORY_METHODS
        for node in sensor.nodes
    )


def _hands_context_over(model: ModuleModel, sensor: _SensorFunction) -> bool:
    """Whether the sensor passes its context to a helper, which may keep the cursor."""
    if sensor.context is None:
        return False
    for node in sensor.nodes:
        if not isinstance(node, ast.Call) or model.qualname(node.func, sensor.scope) in _REQUEST_CLASSES:
            continue
        values = [*node.args, *(kw.value for kw in node.keywords)]
        if any(isinstance(v, ast.Name) and v.id == sensor.context for v in values):
            return True
    return False


@rule(
    "DAG901",
    "run-request-without-run-key",
    "W",
    "{what} requests a run with `{call}` without a `run_key` and never advances its cursor: {consequence}",
)
def run_request_without_run_key(model: ModuleModel):
    """Sensor that requests a run on every tick: no `run_key` and no cursor.

    ## What it does
    Reports a `RunRequest(...)` without `run_key=` (or with `run_key=None`) in a `@sensor` or
    `@multi_asset_sensor` function, or in the `evaluation_fn` of a `SensorDefinition`, when
    that function never advances its cursor: no `context.update_cursor(...)`, no
    `SensorResult(cursor=...)`, no `context.advance_all_cursors()` / `advance_cursor(...)`.

    It stays quiet for schedules (Dagster keys each scheduled run by its tick time and never
    launches a tick twice), `@asset_sensor` and run status / failure sensors (Dagster moves
    their cursor itself), sensors that only return `SkipReason`, requests whose arguments
    come from `**kwargs`, sensors that pass their context to a helper (which may build the
    requests or keep the cursor), sensors that look up their earlier runs
    (`instance.get_runs(...)`, `get_run_records(...)`) to decide, and test modules.

    ## Why is this bad?
    Dagster evaluates a sensor every 30 seconds by default. It skips a requested run only when
    a run with the same `run_key` already exists for the sensor; a request without a key is
    launched every time. If nothing in the sensor remembers what it has already handled (the
    cursor), the same condition launches the same job again on every tick, until someone
    stops the sensor.

    A `@multi_asset_sensor` that requests runs without advancing its cursor does not launch
    duplicates: Dagster fails the tick with "the cursor was not updated", on every tick.

    ## Example
    ```python
    @dg.sensor(job=load_file_job)
    def new_file_sensor():
        for path in Path("/data/inbox").glob("*.csv"):
            yield dg.RunRequest(run_config=load_config(path))
    ```

    ## Use instead
    ```python
    @dg.sensor(job=load_file_job)
    def new_file_sensor():
        for path in Path("/data/inbox").glob("*.csv"):
            yield dg.RunRequest(run_key=path.name, run_config=load_config(path))
    ```
    """
    if model.is_test_module:
        return  # test sensors are evaluated by hand, never by the daemon
    for sensor in _sensor_functions(model):
        requests = [
            node
            for node in sensor.nodes
            if isinstance(node, ast.Call)
            and model.qualname(node.func, sensor.scope) == "dagster.RunRequest"
            and _without_run_key(node)
        ]
        if not requests or _advances_cursor(model, sensor) or _hands_context_over(model, sensor):
            continue
        if _checks_run_history(sensor):
            continue  # it deduplicates against the runs it finds
        if sensor.multi:
            consequence = (
                "Dagster fails every tick that requests a run without moving the cursor; call "
                "`context.advance_all_cursors()` (or `context.advance_cursor(...)`) once the events are handled"
            )
        else:
            every = f"every {sensor.interval} seconds" if sensor.interval else "every 30 seconds by default"
            consequence = (
                f"each tick ({every}) launches another run; pass a `run_key=` naming what triggered it "
                "(a file name, an event id), record progress with `context.update_cursor(...)`, "
                "or use a schedule to run on a timer"
            )
        seen: set[int] = set()
        for call in requests:
            if id(call) in seen:
                continue
            seen.add(id(call))
            yield Violation(
                call, what=sensor.what, call=f"{ast.unparse(call.func)}(...)", consequence=consequence
            )


# ----------------------------------------------------------------------------- DAG903


def _cron_strings(model: ModuleModel, node: ast.expr | None) -> list[str] | None:
    """The cron strings an argument holds, or None when they are computed at run time."""
    if isinstance(node, ast.Name) and node.id in model.constants:
        node = model.constants[node.id]
    elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    crons = [literal_str(e) for e in elements]
    return None if not crons or any(c is None for c in crons) else crons  # type: ignore[return-value]


def _hourly_or_finer(cron: str) -> bool:
    """A cron that fires every hour fires at the same instants in any whole-hour time zone."""
    fields = cron.split()
    return cron.strip() == "@hourly" or (len(fields) == 5 and fields[1] == "*")


class _Automation:
    """A schedule or sensor the module defines: a decorated function or a constructor call."""

    def __init__(self, kind: str, callee: str, what: str, call: ast.Call | None, definition: Definition | None):
        self.kind = kind  # "schedule" or "sensor"
        self.callee = callee  # the decorator or the constructor, e.g. "dagster.schedule"
        self.what = what  # "schedule `nightly`"
        self.call = call  # the decorator call or the constructor call
        self.definition = definition
        self.kwargs = call_kwargs(call) if call is not None else {}

    @property
    def open_kwargs(self) -> bool:
        return _has_star_kwargs(self.call)

    def violation(self, **args: object) -> Violation:
        """On the `def` line of a decorated function, on the call otherwise."""
        if self.definition is not None:
            return at_def(self.definition, **args)
        return Violation(self.call, **args)


# The names Dagster gives when `name=` is not passed, where it does not come from the function.
_DEFAULT_NAMES = {
    "dagster.build_sensor_for_freshness_checks": "freshness_checks_sensor",
    "dagster.build_schedule_from_partitioned_job": "",  # "<job name>_schedule"
    "dagster.make_email_on_run_failure_sensor": "",  # "email_on_run_failure"
}


def _automations(model: ModuleModel, callees: tuple[str, ...], kinds: tuple[str, ...]) -> Iterator[_Automation]:
    for d in model.of_kind(*kinds):
        if d.is_stub:
            continue  # a placeholder, not yet a schedule or sensor anyone deploys
        node = d.kwarg("name")
        name = _shown_name(node) if node is not None and not is_none(node) else d.name
        what = f"{d.kind} `{name}`" if name else _built_in(model, d.kind, d.node)
        yield _Automation(d.kind, d.decorator, what, d.call, d)
    names = _Names(model)
    for callee in callees:
        kind = "schedule" if callee in _SCHEDULE_CONSTRUCTORS else "sensor"
        for call in model.calls_to(callee):
            what = names.describe(kind, call, _DEFAULT_NAMES.get(callee))
            yield _Automation(kind, callee, what, call, None)


@rule(
    "DAG903",
    "schedule-without-timezone",
    "C",
    "{what} has no `execution_timezone=`, so {cron} fires on UTC time, which shifts by an hour "
    "against local time wherever clocks change for daylight saving; pass `execution_timezone=` an IANA name "
    'such as "Europe/Berlin", or "UTC" to make UTC explicit',
)
def schedule_without_timezone(model: ModuleModel):
    """Schedule without `execution_timezone`: it runs on UTC time.

    ## What it does
    Reports an `@schedule` function and a `ScheduleDefinition(...)` call without
    `execution_timezone=`, and a `build_schedule_from_partitioned_job(...)` call that passes
    its own `cron_schedule=` (for statically partitioned jobs) without `execution_timezone=`.

    It stays quiet when every cron of the schedule fires every hour (hour field `*`, or
    `@hourly`): such a schedule fires at the same instants in every whole-hour time zone. It
    also stays quiet for `build_schedule_from_partitioned_job(...)` without `cron_schedule=`:
    for a time-partitioned job the schedule takes the time zone of the partitions definition
    (set it with `timezone=` on `DailyPartitionsDefinition` and friends), and Dagster rejects
    `execution_timezone=` there. Arguments passed through `**kwargs` and test modules are
    not reported.

    ## Why is this bad?
    Without `execution_timezone`, Dagster evaluates the cron in UTC. "0 6 * * *" then fires at
    6 am UTC: 7 or 8 am in Berlin and 1 or 2 am in New York depending on the season, so a
    report that must be ready at the start of the working day is an hour late for half of the
    year, and daily jobs that must run after a local cut-off run before it. Naming the time
    zone (even "UTC") also tells the reader which clock the cron is on.

    ## Example
    ```python
    dg.ScheduleDefinition(job=daily_report_job, cron_schedule="0 6 * * *")
    ```

    ## Use instead
    ```python
    dg.ScheduleDefinition(
        job=daily_report_job, cron_schedule="0 6 * * *", execution_timezone="Europe/Berlin"
    )
    ```
    """
    if model.is_test_module:
        return  # test schedules are evaluated by hand, at the times the test chooses
    for s in _automations(model, _SCHEDULE_CONSTRUCTORS, ("schedule",)):
        if "execution_timezone" in s.kwargs or s.open_kwargs:
            continue
        cron_node = s.kwargs.get("cron_schedule")
        if cron_node is None and s.callee == "dagster.schedule" and s.call is not None and s.call.args:
            cron_node = s.call.args[0]  # `@schedule("0 6 * * *", ...)`
        if cron_node is None and s.callee != "dagster.ScheduleDefinition":
            # `build_schedule_from_partitioned_job` takes the partitions definition's time zone;
            # `@schedule` without a cron does not load at all.
            continue
        crons = _cron_strings(model, cron_node) if cron_node is not None else None
        if crons and all(_hourly_or_finer(c) for c in crons):
            continue
        if crons and len(crons) == 1:
            cron = f'its cron "{crons[0]}"'
        elif crons:
            cron = "each of its crons"
        else:
            cron = "its cron"
        yield s.violation(what=s.what, cron=cron)


# ----------------------------------------------------------------------------- DAG904

_DEFAULT_INTERVAL = 30  # dagster._core.definitions.sensor_definition.DEFAULT_SENSOR_DAEMON_INTERVAL
_DAEMON_LOOP = 5  # dagster._daemon.sensor.MIN_INTERVAL_LOOP_TIME


@rule(
    "DAG904",
    "sensor-interval-too-short",
    "W",
    "{what} sets `minimum_interval_seconds={value}`: {how} and stores a tick each time, {factor} times as "
    "often as with the 30-second default; use 30 or more",
)
def sensor_interval_too_short(model: ModuleModel):
    """Sensor evaluated more often than every 30 seconds.

    ## What it does
    Reports `minimum_interval_seconds=` below 30 on a sensor decorator (`@sensor`,
    `@asset_sensor`, `@multi_asset_sensor`, `@run_status_sensor`, `@run_failure_sensor`) or
    a sensor definition (`SensorDefinition`, `AssetSensorDefinition`,
    `MultiAssetSensorDefinition`, `RunStatusSensorDefinition`,
    `AutomationConditionSensorDefinition`, `build_sensor_for_freshness_checks`). The value
    must be an integer literal, a module constant or arithmetic on them (`15 * 60`); values
    read from the environment are not checked, nor are test modules.

    ## Why is this bad?
    Each evaluation is a call from the sensor daemon to the code location's server, which runs
    the sensor function (an automation condition sensor evaluates the conditions of every asset
    it targets), and each one is stored as a tick: by default skipped ticks are kept for 7 days,
    ticks that requested runs for ever. At 5 seconds a sensor makes 17,280 evaluations a day
    instead of 2,880, which loads the code server, the instance database and whatever the
    sensor polls, and takes daemon time from the other sensors. The daemon loops at most every
    5 seconds, so values below 5 do not even buy latency.

    ## Example
    ```python
    @dg.sensor(job=load_file_job, minimum_interval_seconds=5)
    def new_file_sensor(context): ...
    ```

    ## Use instead
    ```python
    @dg.sensor(job=load_file_job, minimum_interval_seconds=60)
    def new_file_sensor(context): ...
    ```
    """
    if model.is_test_module:
        return
    for s in _automations(model, _SENSOR_CONSTRUCTORS, ("sensor",)):
        node = s.kwargs.get("minimum_interval_seconds")
        value = _int_value(model, node)
        if node is None or value is None or value >= _DEFAULT_INTERVAL:
            continue
        effective = max(value, _DAEMON_LOOP)
        if value < _DAEMON_LOOP:
            how = f"the daemon evaluates it on each of its loops, up to every {_DAEMON_LOOP} seconds,"
        else:
            how = f"the daemon evaluates it every {value} seconds"
        factor = _DEFAULT_INTERVAL / effective
        shown = f"{factor:g}" if factor == int(factor) else f"{factor:.1f}"
        yield Violation(node, what=s.what, value=value, how=how, factor=shown)


# ----------------------------------------------------------------------------- DAG905


@rule(
    "DAG905",
    "automation-default-stopped",
    "C",
    "{what} has no `default_status=`, so it starts stopped on every fresh deployment until someone "
    "turns it on in the UI; pass `default_status={status}.RUNNING` (or `.STOPPED` to say that is intended)",
    default=False,
)
def automation_default_stopped(model: ModuleModel):
    """Schedule or sensor without `default_status`: it is stopped after every fresh deploy.

    ## What it does
    Reports a schedule or sensor decorator (`@schedule`, `@sensor`, `@asset_sensor`,
    `@multi_asset_sensor`, `@run_status_sensor`, `@run_failure_sensor`) and a call to
    `ScheduleDefinition`, `build_schedule_from_partitioned_job`, `SensorDefinition`,
    `AssetSensorDefinition`, `MultiAssetSensorDefinition`, `RunStatusSensorDefinition`,
    `AutomationConditionSensorDefinition`, `build_sensor_for_freshness_checks` or
    `make_email_on_run_failure_sensor` without `default_status=`. Arguments passed through
    `**kwargs` and test modules are not reported.

    Off by default: teams that switch schedules on by hand, per environment, want the
    default.

    ## Why is this bad?
    Every one of these defaults to `STOPPED`. Whether a schedule or sensor runs is then state
    in the instance database, set by a click in the UI: a new deployment, a branch
    deployment or a `dagster dev` with a temporary home starts with everything stopped, and
    nothing in the code says which ones are meant to run.

    ## Example
    ```python
    dg.ScheduleDefinition(job=daily_job, cron_schedule="0 6 * * *")
    ```

    ## Use instead
    ```python
    dg.ScheduleDefinition(
        job=daily_job,
        cron_schedule="0 6 * * *",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    ```
    """
    if model.is_test_module:
        return
    dg = _dg(model)
    callees = (*_SCHEDULE_CONSTRUCTORS, *_SENSOR_CONSTRUCTORS, *_SENSOR_FACTORIES)
    for s in _automations(model, callees, ("schedule", "sensor")):
        if "default_status" in s.kwargs or s.open_kwargs:
            continue
        status = f"{dg}DefaultScheduleStatus" if s.kind == "schedule" else f"{dg}DefaultSensorStatus"
        yield s.violation(what=s.what, status=status)
