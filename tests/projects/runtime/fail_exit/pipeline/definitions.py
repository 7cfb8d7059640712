import os
import sys

import dagster as dg

if not os.environ.get("DAGSTER_LINT_TEST_TOKEN"):
    sys.exit("set DAGSTER_LINT_TEST_TOKEN")  # DAG001

defs = dg.Definitions()
