import dagster as dg


@dg.asset(group_name="staging")
def raw_rows():
    return []


@dg.asset
def rows(raw_rows):
    return raw_rows


@dg.asset_check(asset=rows)
def rows_not_empty(rows):
    return dg.AssetCheckResult(passed=bool(rows))


@dg.asset_check(asset="raw_rows")
def raw_rows_not_empty():
    return dg.AssetCheckResult(passed=True)
