"""How DAG903/DAG905 name the schedule or sensor they report, from what the source says."""

from __future__ import annotations

from dagster_lint.engine import lint_source

SOURCE = """\
import dagster as dg

nightly = dg.ScheduleDefinition(job_name="refresh", cron_schedule="0 6 * * *")


def build_defs(asset_name: str, cron: str, job):
    refresh = dg.ScheduleDefinition(name=f"{asset_name}_refresh", cron_schedule=cron, job=job)
    schedule = dg.ScheduleDefinition(job=job, cron_schedule=cron)
    computed = dg.ScheduleDefinition(name=asset_name.upper(), cron_schedule=cron, job=job)

    @dg.schedule(name=asset_name, cron_schedule=cron, job=job)
    def _inner(context):
        return dg.RunRequest()

    return [refresh, schedule, computed, _inner]
"""


def _names(code: str) -> dict[int, str]:
    findings = lint_source(SOURCE, "pipeline/schedules.py", enabled={code})
    return {f.line: f.message.split(" has no ")[0] for f in findings}


def test_schedules_are_named_as_the_source_spells_them():
    assert _names("DAG903") == {
        3: "schedule `nightly`",  # the module-level variable
        7: "schedule `{asset_name}_refresh`",  # an f-string shows its template
        8: "schedule built in `build_defs`",  # a local variable in a factory names nothing
        9: "schedule built in `build_defs`",  # a name computed some other way
        12: "schedule built in `build_defs`",  # a decorated function named by `name=asset_name`
    }


def test_default_status_uses_the_same_names():
    assert _names("DAG905") == _names("DAG903")
