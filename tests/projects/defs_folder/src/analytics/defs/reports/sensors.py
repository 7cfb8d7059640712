import dagster as dg


# YAML components may define jobs, dynamic partitions and asset checks: none of these names
# can be proven unknown, and no asset unchecked.
@dg.sensor(job_name="sling_sync_job")
def sync_finished(context):
    context.instance.add_dynamic_partitions("sling_tables", ["orders"])
    return dg.RunRequest(run_key="x")
