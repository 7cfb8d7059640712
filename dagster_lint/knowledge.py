"""Names of third-party calls the rules recognise, each list kept in one place.

Names are fully qualified as the module model resolves them: `import boto3` then
`boto3.client(...)` is "boto3.client"; `from datetime import datetime` then `datetime.now()` is
"datetime.datetime.now". Each entry is exercised by tests/test_knowledge.py.
"""

from __future__ import annotations

# Calls that read the wall clock: a value that differs between loads, runs and backfills.
WALL_CLOCK_CALLS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "pendulum.now",
        "pendulum.today",
        "pendulum.yesterday",
        "arrow.now",
        "arrow.utcnow",
        "pandas.Timestamp.now",
        "pandas.Timestamp.today",
        "pandas.Timestamp.utcnow",
    }
)

# Constructors of clients for external systems (databases, object stores, HTTP sessions, APIs).
# Created inside an asset body, each run opens its own connection with settings baked in.
CLIENT_CONSTRUCTORS = frozenset(
    {
        "boto3.client",
        "boto3.resource",
        "boto3.Session",
        "boto3.session.Session",
        "psycopg2.connect",
        "psycopg.connect",
        "pymysql.connect",
        "mysql.connector.connect",
        "pyodbc.connect",
        "oracledb.connect",
        "cx_Oracle.connect",
        "sqlalchemy.create_engine",
        "snowflake.connector.connect",
        "duckdb.connect",
        "google.cloud.bigquery.Client",
        "google.cloud.storage.Client",
        "requests.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "pymongo.MongoClient",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "elasticsearch.Elasticsearch",
        "clickhouse_connect.get_client",
        "databricks.sql.connect",
        "trino.dbapi.connect",
        "openai.OpenAI",
        "anthropic.Anthropic",
        "slack_sdk.WebClient",
        "azure.storage.blob.BlobServiceClient",
        "azure.storage.blob.BlobServiceClient.from_connection_string",
        "paramiko.SSHClient",
    }
)

# Constructors that define a time-window partitions definition (start_date/end_date/timezone).
TIME_PARTITIONS = frozenset(
    {
        "dagster.DailyPartitionsDefinition",
        "dagster.HourlyPartitionsDefinition",
        "dagster.WeeklyPartitionsDefinition",
        "dagster.MonthlyPartitionsDefinition",
        "dagster.TimeWindowPartitionsDefinition",
    }
)

# Context attributes that carry the partition a run is computing.
PARTITION_ATTR_MARKER = "partition"
