from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, build_schedule_from_dbt_selection, dbt_assets

MANIFEST = Path(__file__).parent / "target" / "manifest.json"


# Every dbt model becomes an asset (and every dbt test an asset check) with a key the
# manifest decides: no key can be proven unknown in this project.
@dbt_assets(manifest=MANIFEST)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


# The job this builds is named here, so sensors may ask for it.
nightly_dbt = build_schedule_from_dbt_selection([dbt_models], job_name="dbt_nightly", cron_schedule="0 3 * * *")
