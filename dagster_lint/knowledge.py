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
        "asyncpg.connect",
        "pymssql.connect",
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
        "aiohttp.ClientSession",
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

# Client constructors (from CLIENT_CONSTRUCTORS) of plain HTTP sessions. Called without arguments
# they hold a connection pool and no connection details (the URL is in each request): DAG304 does
# not report them then, as it does not report a bare `requests.get(...)`.
HTTP_SESSION_CONSTRUCTORS = frozenset(
    {"requests.Session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"}
)

# Client constructors (from CLIENT_CONSTRUCTORS) whose first positional argument names a service of
# the provider (`boto3.client("s3")`), not where to connect (DAG304 reads the others).
SERVICE_NAME_CLIENTS = frozenset({"boto3.client", "boto3.resource"})

# Environment variables that describe the process or platform a step runs on rather than configure
# the pipeline: the Dagster instance's home, the Dagster+ deployment, the user and host, and the
# Google credentials file of the machine. Reading them in the running step is what they are for
# (DAG305 does not report them).
PROCESS_ENVIRONMENT_VARIABLES = frozenset(
    {
        "DAGSTER_HOME",
        "DAGSTER_CLOUD_DEPLOYMENT_NAME",
        "DAGSTER_CLOUD_IS_BRANCH_DEPLOYMENT",
        "HOME",
        "USER",
        "HOSTNAME",
        "PATH",
        "TMPDIR",
        "GOOGLE_APPLICATION_CREDENTIALS",
    }
)

# Client constructors (from CLIENT_CONSTRUCTORS) that take no connection settings: they go to the
# client's `.connect(...)` call, which DAG304 reads as the settings instead.
CONNECT_LATER_CLIENTS = frozenset({"paramiko.SSHClient"})

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

# Calls that block the current step for a while. In an asset or op body they hold the run's
# worker while nothing happens (DAG604).
SLEEP_CALLS = frozenset(
    {
        "time.sleep",
        "asyncio.sleep",
        "anyio.sleep",
        "trio.sleep",
        "gevent.sleep",
    }
)

# Words of a call's name that start work in another system and return before it is done: a run,
# an export, a batch, a job (`start_job_run`, `trigger_refresh`, `submit_job`, `loop_start`,
# `execute_async`). A step that sleeps after starting such work waits for its own work, which a
# sensor cannot wait for and a retry would start again (DAG604). STARTING_WORDS may be any word
# of the name; STARTING_FIRST_WORDS only its first (`run_job`, `runs.create`, `requests.post`, but
# not `get_run` or `recreate_index`).
STARTING_WORDS = frozenset({"start", "trigger", "submit", "launch", "invoke", "kickoff", "enqueue", "async"})
STARTING_FIRST_WORDS = frozenset({"run", "create", "post", "begin", "deploy", "apply", "kick"})

# Dagster's database I/O managers. They record metadata of every value they store (the query
# and table name; for data frames the row count and column schema too), so an asset they store
# is described without metadata of its own (DAG702). Classes, and the older `@io_manager`
# definitions used as values.
METADATA_RECORDING_IO_MANAGERS = frozenset(
    {
        "dagster_duckdb.DuckDBIOManager",
        "dagster_duckdb_pandas.DuckDBPandasIOManager",
        "dagster_duckdb_polars.DuckDBPolarsIOManager",
        "dagster_duckdb_pyspark.DuckDBPySparkIOManager",
        "dagster_duckdb_pandas.duckdb_pandas_io_manager",
        "dagster_snowflake.SnowflakeIOManager",
        "dagster_snowflake_pandas.SnowflakePandasIOManager",
        "dagster_snowflake_polars.SnowflakePolarsIOManager",
        "dagster_snowflake_pyspark.SnowflakePySparkIOManager",
        "dagster_snowflake_pandas.snowflake_pandas_io_manager",
        "dagster_gcp.BigQueryIOManager",
        "dagster_gcp_pandas.BigQueryPandasIOManager",
        "dagster_gcp_pyspark.BigQueryPySparkIOManager",
        "dagster_gcp_pandas.bigquery_pandas_io_manager",
        "dagster_deltalake.DeltaLakeIOManager",
        "dagster_deltalake_pandas.DeltaLakePandasIOManager",
        "dagster_deltalake_polars.DeltaLakePolarsIOManager",
    }
)

# Client methods that write one record per call, each with the batch call that replaces a loop
# of them (DAG603). The names are specific to the client libraries (pymongo, boto3, gspread), so a
# call inside a loop is reported without further evidence about the receiver.
PER_RECORD_WRITE_METHODS: dict[str, str] = {
    "insert_one": "`insert_many(...)`",
    "replace_one": "`bulk_write([...])`",
    "update_one": "`bulk_write([...])`",
    "put_item": "`table.batch_writer()` (or `batch_write_item`)",
    "put_record": "`put_records(...)` / `put_record_batch(...)`",
    "append_row": "`append_rows([...])`",
}

# Methods that run one SQL statement (DB-API cursors and connections, SQLAlchemy). The name is
# generic, so DAG603 also needs a receiver that looks like a cursor, connection, session or
# engine, and a statement that writes rows (INSERT ... VALUES, UPSERT, UPDATE ... WHERE) with the
# loop's item in its parameters, VALUES or WHERE.
SQL_EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql"})

# Writes that are normal once per table, file or chunk (`chunk.to_sql(...)` over
# `read_csv(chunksize=...)`, one `put_object` per export file). DAG603 reports them only in a loop
# over the rows of a table (see ROW_ITERATION_METHODS), with the row in the arguments.
ROW_LOOP_WRITE_METHODS: dict[str, str] = {
    "to_sql": "one `to_sql(...)` call on the whole DataFrame",
    "put_object": "one object per batch (e.g. newline-delimited JSON or Parquet)",
    "insert": "a single `insert` of all the rows",
}

# Methods whose result iterates over the rows of a table, result set or frame.
ROW_ITERATION_METHODS = frozenset(
    {
        "iterrows",
        "itertuples",
        "iter_rows",
        "to_dicts",
        "to_pylist",
        "fetchall",
        "fetchmany",
    }
)

# Functions that make an HTTP request (DAG402 counts them as network calls; DAG407 checks the
# `requests` and `httpx` ones for `timeout=`).
NETWORK_CALLS = frozenset(
    {
        "requests.get",
        "requests.post",
        "requests.put",
        "requests.patch",
        "requests.delete",
        "requests.head",
        "requests.options",
        "requests.request",
        "httpx.get",
        "httpx.post",
        "httpx.put",
        "httpx.patch",
        "httpx.delete",
        "httpx.head",
        "httpx.options",
        "httpx.request",
        "httpx.stream",
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib3.request",
        "aiohttp.request",
    }
)

# Client constructors (from CLIENT_CONSTRUCTORS) that open a local, in-process database rather
# than a connection to another system: DAG402 does not count them as network calls.
LOCAL_CLIENT_CONSTRUCTORS = frozenset({"duckdb.connect"})

# Client constructors (from CLIENT_CONSTRUCTORS) whose SDK retries throttling, timeouts and server
# errors by itself, with backoff: boto3 (botocore's retry modes), the google-cloud clients
# (`google.api_core` default retries), openai and anthropic (`max_retries=2`), azure-storage
# (`ExponentialRetry`), elasticsearch (`max_retries=3`). DAG402 does not count them as calls that
# fail the run on the first transient error; DAG304 still reports them.
SELF_RETRYING_CLIENTS = frozenset(
    {
        "boto3.client",
        "boto3.resource",
        "boto3.Session",
        "boto3.session.Session",
        "google.cloud.bigquery.Client",
        "google.cloud.storage.Client",
        "openai.OpenAI",
        "anthropic.Anthropic",
        "azure.storage.blob.BlobServiceClient",
        "azure.storage.blob.BlobServiceClient.from_connection_string",
        "elasticsearch.Elasticsearch",
    }
)

# Constructors of a `requests` session. A session has no default timeout: DAG407 checks the
# requests made through a variable bound to one.
REQUESTS_SESSION_CONSTRUCTORS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})

# Methods of a `requests` session (and of an httpx client) that send a request.
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})

# Modules whose presence means the code retries on its own (decorators such as `tenacity.retry`
# or `backoff.on_exception`, an `HTTPAdapter(max_retries=Retry(...))`). DAG402 stays quiet in a
# module that imports from one of them.
RETRY_LIBRARIES = frozenset(
    {
        "tenacity",
        "backoff",
        "stamina",
        "retrying",
        "retry",
        "urllib3.util.retry",
        "urllib3.util.Retry",
        "urllib3.Retry",
        "requests.packages.urllib3.util.retry",
        "google.api_core.retry",
    }
)

# Constructors of a time span. A wall-clock value shifted by one (`date.today() - timedelta(days=1)`)
# is the bound of a data window (DAG404).
TIME_DELTA_CALLS = frozenset(
    {
        "datetime.timedelta",
        "dateutil.relativedelta.relativedelta",
        "pandas.Timedelta",
        "pandas.DateOffset",
        "pendulum.duration",
    }
)

# Keyword arguments that make a write append to what is already there, with the values that do
# (DAG405). `mode="append"` is Spark's `save`/`saveAsTable`, deltalake's `write_deltalake` and
# polars' `write_delta`; `if_exists` is pandas' `to_sql`; `if_table_exists` is polars'
# `write_database`; `write_disposition` is BigQuery's `LoadJobConfig`/`QueryJobConfig`.
APPEND_WRITE_KEYWORDS: dict[str, frozenset[str]] = {
    "if_exists": frozenset({"append"}),
    "if_table_exists": frozenset({"append"}),
    "mode": frozenset({"append"}),
    "write_disposition": frozenset({"WRITE_APPEND"}),
}

# File modes that append: with `open(...)`, `Path.open(...)` and `DataFrame.to_csv(mode=...)` (DAG405).
APPEND_FILE_MODES = frozenset({"a", "at", "ab", "a+", "at+", "ab+", "a+b", "a+t"})

# Methods that write a file and take a file `mode=` (DAG405 reads `mode="a"` on them as an append).
FILE_MODE_WRITERS = frozenset({"open", "to_csv", "to_json", "to_string", "write_csv"})

# SQL that appends rows, and SQL that makes an append idempotent or replaces the target first
# (case-insensitive regular expressions; DAG405).
APPEND_SQL = r"\binsert\s+into\b"
REPLACING_SQL = (
    r"\b(?:delete\s+from|merge\s+into|truncate|insert\s+overwrite|insert\s+or\s+replace|insert\s+or\s+ignore|"
    r"replace\s+into|on\s+conflict|on\s+duplicate\s+key|create\s+or\s+replace|drop\s+table|"
    r"create\s+(?:local\s+|global\s+)?(?:temp|temporary)\s+table|where\s+not\s+exists|except\s+select|"
    r"not\s+in\s*\(\s*select)\b"
)

# Drivers of databases whose `INSERT` replaces the row with the same primary key (Cassandra and
# ScyllaDB, both through the `cassandra` driver): DAG405 does not read `INSERT INTO` as an append in
# a module that imports one.
UPSERTING_INSERT_DRIVERS = frozenset({"cassandra"})

# Keyword values that overwrite instead of appending (DAG405): a body that also writes with one of
# them replaces what it appends to, as far as a single-file check can tell.
REPLACING_WRITE_KEYWORDS: dict[str, frozenset[str]] = {
    "if_exists": frozenset({"replace"}),
    "if_table_exists": frozenset({"replace"}),
    "mode": frozenset({"overwrite", "w", "wb", "w+", "wt"}),
    "write_disposition": frozenset({"WRITE_TRUNCATE", "replace", "merge"}),
}

# Methods that delete or overwrite data before an append (DAG405): `DeltaTable.delete(predicate)`,
# `table.overwrite(df)`, `os.remove(path)`, `Path.unlink()`, `.mode("overwrite")`.
REPLACING_METHODS = frozenset({"delete", "delete_where", "truncate", "overwrite", "remove", "unlink", "rmtree"})

# Libraries that replace HTTP responses with canned ones (`@responses.activate`, `requests_mock`,
# `respx`). Requests in a module that imports one of them never reach a server: DAG402 and DAG407
# stay quiet there.
HTTP_MOCK_LIBRARIES = frozenset({"responses", "requests_mock", "respx", "httpretty", "pytest_httpx"})

# Methods that write a dataset somewhere it outlives the run: a table, a data file, an object
# store, a document store (DAG808 reads an op that calls one, with arguments, as producing
# persistent data). `to_csv`/`to_json` with no argument return a string and are not counted;
# plain file writes (`open(..., "w")`, `Path.write_text`, `json.dump`) are left out on purpose,
# as ops write configuration, state and logs that way too.
PERSISTENT_WRITE_METHODS = frozenset(
    {
        "to_sql",
        "to_parquet",
        "to_csv",
        "to_json",
        "to_excel",
        "to_feather",
        "write_parquet",
        "write_csv",
        "write_database",
        "write_delta",
        "write_ipc",
        "saveAsTable",
        "insertInto",
        "put_object",
        "upload_file",
        "upload_fileobj",
        "upload_blob",
        "upload_from_filename",
        "upload_from_string",
        "upload_from_file",
        "load_table_from_dataframe",
        "load_table_from_uri",
        "insert_rows",
        "insert_rows_json",
        "insert_many",
        "insert_one",
        "bulk_write",
        "put_item",
        "batch_write_item",
        "copy_expert",
        "copy_from",
    }
)

# Functions that write a dataset (DAG808).
PERSISTENT_WRITE_CALLS = frozenset(
    {
        "deltalake.write_deltalake",
        "snowflake.connector.pandas_tools.write_pandas",
        "pandas_gbq.to_gbq",
        "awswrangler.s3.to_parquet",
        "awswrangler.s3.to_csv",
    }
)

# Method-name prefixes that write through a resource (`context.resources.s3.put_data(...)`,
# `warehouse.insert_rows(...)`): a resource stands for an external system (DAG808).
RESOURCE_WRITE_PREFIXES = ("put", "upload", "write", "insert", "save", "store", "upsert")

# SQL that creates or changes rows of a table (case-insensitive, matched at the statement's start; DAG808).
WRITING_SQL = (
    r"\s*(?:insert|merge|copy|upsert|replace\s+into|update\s+[\w.\"`\[\]]+\s+set|"
    r"create\s+(?:or\s+replace\s+)?table)\b"
)
