"""Targets of schedules and sensors in the loaded Definitions (DAG906)."""

from __future__ import annotations

import difflib

from dagster_lint.registry import runtime_rule
from dagster_lint.runtime.rules._common import Graph, hit
from dagster_lint.runtime.rules.explain import unknown_targets


@runtime_rule(
    "DAG906",
    "unknown-job-target",
    "E",
    "{kind} `{name}` targets job `{job}`, which the `Definitions` of `{target}` do not define: Dagster "
    "refuses to load them; {hint}",
    provisional=True,
)
def unknown_job_target(graph: Graph):
    """Schedule or sensor that names a job that is not defined.

    ## What it does
    Reports a schedule or sensor whose `job_name=` (or `jobs=`) names a job that no job in the
    same `Definitions` has, with the closest existing name.

    ## Why is this bad?
    Dagster refuses the whole code location ("targets job ... which was not found in this
    repository"): none of its assets, schedules or sensors load until the name is fixed.

    ## Example
    ```python
    orders_job = dg.define_asset_job("orders_job", selection=[orders])
    nightly = dg.ScheduleDefinition(job_name="order_job", cron_schedule="0 2 * * *")
    ```

    ## Use instead
    ```python
    orders_job = dg.define_asset_job("orders_job", selection=[orders])
    nightly = dg.ScheduleDefinition(job=orders_job, cron_schedule="0 2 * * *")
    ```

    ## Runtime mode
    Compares the targets of the schedules and sensors the `Definitions` object holds with its
    jobs, including those built by factories; the finding replaces the load failure (DAG001)
    it causes.
    """
    for kind, item, job in unknown_targets(graph):
        close = difflib.get_close_matches(job, sorted(graph.job_names), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "pass the job object (`job=`) instead of its name"
        yield hit(graph.locate.named(kind, item.name, item.location), kind=kind, name=item.name, job=job,
                  target=graph.facts.target, hint=hint)
