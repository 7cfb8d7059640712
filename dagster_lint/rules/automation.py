"""DAG9xx: sensors and schedules."""

from __future__ import annotations

import ast
from typing import Iterator

from dagster_lint.model import ModuleModel, call_kwargs, literal_str
from dagster_lint.registry import Violation, rule

# Where Dagster takes a cron string: (callee, keyword, position of the argument or None).
_CRON_ARGUMENTS = (
    ("dagster.schedule", "cron_schedule", 0),
    ("dagster.ScheduleDefinition", "cron_schedule", None),
    ("dagster.build_schedule_from_partitioned_job", "cron_schedule", None),
    ("dagster.TimeWindowPartitionsDefinition", "cron_schedule", None),
    ("dagster.AutomationCondition.on_cron", "cron_schedule", 0),
    ("dagster.AutomationCondition.cron_tick_passed", "cron_schedule", 0),
    ("dagster.build_last_update_freshness_checks", "deadline_cron", None),
    ("dagster.build_time_partition_freshness_checks", "deadline_cron", None),
    ("dagster.FreshnessPolicy", "cron_schedule", None),
)


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


def _cron_literals(model: ModuleModel) -> Iterator[ast.expr]:
    for callee, keyword, position in _CRON_ARGUMENTS:
        calls = list(model.calls_to(callee))
        if callee == "dagster.schedule":
            calls += [d.call for d in model.of_kind("schedule") if d.call is not None and d.call not in calls]
        for call in calls:
            value = call_kwargs(call).get(keyword)
            if value is None and position is not None and len(call.args) > position:
                value = call.args[position]
            if isinstance(value, (ast.List, ast.Tuple)):
                yield from value.elts
            elif value is not None:
                yield value


@rule(
    "DAG902",
    "invalid-cron",
    "E",
    "\"{cron}\" is not a cron schedule Dagster accepts: the code location fails to load; use five fields "
    "(minute hour day-of-month month day-of-week), e.g. \"0 6 * * *\"",
)
def invalid_cron(model: ModuleModel):
    """Cron string that Dagster rejects.

    ## What it does
    Validates string literals given as `cron_schedule` to `@schedule`, `ScheduleDefinition`,
    `build_schedule_from_partitioned_job`, `TimeWindowPartitionsDefinition`,
    `AutomationCondition.on_cron` / `cron_tick_passed`, and `deadline_cron` of freshness
    checks, with the same test Dagster applies: croniter must accept it, it must have five
    fields (no seconds), and it must not name February 30 or 31.

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
    seen: set[int] = set()
    for node in _cron_literals(model):
        cron = literal_str(node)
        if cron is None or id(node) in seen:
            continue
        seen.add(id(node))
        if not is_valid_cron(cron):
            yield Violation(node, cron=cron)
