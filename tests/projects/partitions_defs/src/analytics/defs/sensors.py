from dagster import AddDynamicPartitionsRequest, SensorResult, sensor

import dagster as dg

from analytics.defs.partitions import files, regions

UPLOADS = "uploads"


@dg.sensor(target=dg.AssetSelection.keys("raw/raw_files"))
def new_files(context: dg.SensorEvaluationContext):
    context.instance.add_dynamic_partitions("file", ["a.csv"])  # DAG208
    context.instance.add_dynamic_partitions(partitions_def_name="files", partition_keys=["b.csv"])
    context.instance.delete_dynamic_partition(UPLOADS, "old.csv")
    return SensorResult(dynamic_partitions_requests=[files.build_add_request(["c.csv"])])


@sensor(target=dg.AssetSelection.keys("upload_audit"))
def new_uploads(context):
    if context.instance.has_dynamic_partition("upload", "x.csv"):  # DAG208
        return None
    return SensorResult(
        dynamic_partitions_requests=[
            AddDynamicPartitionsRequest(partitions_def_name="uploads", partition_keys=["x.csv"]),
            regions.build_add_request(["apac"]),  # DAG208
        ]
    )
