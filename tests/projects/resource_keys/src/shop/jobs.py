import dagster as dg


@dg.op(required_resource_keys={"sftp"})  # DAG307
def upload_export(context: dg.OpExecutionContext):
    context.resources.sftp.put("orders.csv")


@dg.op(required_resource_keys={"legacy_ftp"})
def unused_upload(context: dg.OpExecutionContext):
    # No job runs this op, so nothing requires `legacy_ftp`.
    context.resources.legacy_ftp.put("orders.csv")


@dg.op(required_resource_keys={"archive"})
def archive_export(context: dg.OpExecutionContext):
    context.resources.archive.put("orders.csv")


@dg.job
def nightly_export():
    upload_export()


@dg.job(resource_defs={"archive": dg.ResourceDefinition.none_resource()})
def archive_job():
    # The job binds the key its op needs.
    archive_export.alias("archive_orders")()
