import os


def warehouse_schema() -> str:
    schemas = {"prod": "analytics", "dev": "analytics_dev"}
    return schemas[os.environ.get("DAGSTER_LINT_TEST_DEPLOYMENT", "local")]  # DAG001
