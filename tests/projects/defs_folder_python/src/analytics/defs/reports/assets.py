import dagster as dg


@dg.asset(deps=["event"])  # DAG101
def weekly_report():  # DAG501
    return 1


@dg.sensor(job_name="event_job")  # DAG906
def new_files(context):
    context.instance.add_dynamic_partitions("file", ["a.csv"])  # DAG208
    context.instance.add_dynamic_partitions("files", ["b.csv"])
    return dg.RunRequest(run_key="a.csv", partition_key="a.csv")
