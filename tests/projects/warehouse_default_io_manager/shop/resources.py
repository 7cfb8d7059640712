import dagster as dg
from dagster_duckdb_pandas import DuckDBPandasIOManager

# Dagster's database I/O managers record the row count, column schema and table of what they store.
warehouse_io_manager = DuckDBPandasIOManager(database=dg.EnvVar("WAREHOUSE_PATH"), schema="shop")
