import dagster as dg  # DAG001

defs = dg.Definitions()
