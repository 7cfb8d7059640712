import dagster as dg

from warehouse import dbt, exports

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([dbt, exports]),
    schedules=[dbt.nightly_dbt],
    sensors=[exports.export_ready],
)
