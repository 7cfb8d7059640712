import dagster as dg


def shared_resources() -> dict:
    return {"io_manager": dg.mem_io_manager}  # DAG605
