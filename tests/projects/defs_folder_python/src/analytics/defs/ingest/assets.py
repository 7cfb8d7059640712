import dagster as dg

files = dg.DynamicPartitionsDefinition(name="files")


@dg.asset(partitions_def=files)
def events(context: dg.AssetExecutionContext):
    return context.partition_key


@dg.asset_check(asset=events)
def events_not_empty():
    return dg.AssetCheckResult(passed=True)


events_job = dg.define_asset_job("events_job", selection=[events])
