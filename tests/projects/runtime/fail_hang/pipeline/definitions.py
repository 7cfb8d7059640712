import time

import dagster as dg


def wait_for_warehouse() -> None:
    while True:
        time.sleep(0.1)  # DAG001


wait_for_warehouse()

defs = dg.Definitions()
