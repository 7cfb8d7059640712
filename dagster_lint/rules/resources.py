"""DAG3xx: resources and configuration."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from dagster_lint.knowledge import CLIENT_CONSTRUCTORS
from dagster_lint.model import ModuleModel, literal_str
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import compute_bodies, env_var_name, is_resource_or_config_call, label

# A field name that holds a secret...
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:password|passwd|pwd|passphrase|token|secret|api_?key|access_?key|private_?key|"
    r"secret_?key|credentials?|client_secret|auth_key|signing_key)(?:$|_)",
    re.IGNORECASE,
)
# ...unless the name says it holds something that points at the secret instead.
_SECRET_POINTER = re.compile(
    r"(?:_|^)(?:name|path|file|filename|env|env_var|var|url|uri|endpoint|type|field|header|location|"
    r"arn|id_env|ref|key_name|secret_name|expiry|expires?|ttl|length|len|prefix|scope|source|provider)$",
    re.IGNORECASE,
)
# `scheme://user:password@host`, where the password is not a template placeholder.
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.\-]*://[^:/@\s]+:(?P<pw>[^@\s/]+)@", re.IGNORECASE)
_URL_NAME = re.compile(r"(?:^|_)(?:url|uri|dsn|conn|connection|connection_string|conn_str|database_url)(?:$|_)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^(?:\*+|x+|<[^>]*>|\{[^}]*\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%\(?\w*\)?s|\.\.\.)$", re.IGNORECASE)
_ENV_STYLE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _secret_value(field: str, value: str) -> bool:
    """A literal that is plausibly a real secret for a field of that name."""
    if not value or _PLACEHOLDER.match(value) or _ENV_STYLE.match(value):
        return False
    if _SECRET_NAME.search(field) and not _SECRET_POINTER.search(field):
        return True
    match = _URL_WITH_PASSWORD.match(value)
    return bool(match and _URL_NAME.search(field) and not _PLACEHOLDER.match(match.group("pw")))


def _config_fields(model: ModuleModel) -> Iterator[tuple[str, str, ast.expr]]:
    """(owner, field, value) for every value given to a resource or config field.

    Keyword arguments of resource/config constructors, defaults of fields declared on
    ConfigurableResource/Config subclasses, and keys of dicts passed to `.configured(...)`.
    """
    for call in model.all_calls:
        owner = is_resource_or_config_call(model, call)
        if owner:
            for kw in call.keywords:
                if kw.arg:
                    yield owner, kw.arg, kw.value
    for info in model.classes.values():
        if info.kind is None:
            continue
        for stmt in info.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                yield info.node.name, stmt.target.id, stmt.value
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                yield info.node.name, stmt.targets[0].id, stmt.value
    for node in model.all_calls:
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "configured"
            and node.args
            and isinstance(node.args[0], ast.Dict)
        ):
            owner = ast.unparse(node.func.value)
            for key, value in zip(node.args[0].keys, node.args[0].values):
                name = literal_str(key)
                if name:
                    yield owner, name, value


@rule(
    "DAG301",
    "hardcoded-secret",
    "E",
    "`{field}` of `{owner}` is a secret written in the code: it lands in version control and in the "
    "Dagster UI; use `dg.EnvVar(\"{env}\")`",
)
def hardcoded_secret(model: ModuleModel):
    """A password, token or key written as a string literal in resource or config code.

    ## What it does
    Reports a non-empty string literal given to, or declared as the default of, a resource or
    config field whose name says it holds a secret (`password`, `token`, `secret`, `api_key`,
    `access_key`, `private_key`, `credentials`, ...), and connection URLs with an embedded
    password (`postgresql://user:hunter2@host/db`) in fields such as `url`, `dsn` or
    `connection_string`. It looks at keyword arguments of `ConfigurableResource`/`Config`
    classes (the module's own and Dagster's integrations), field defaults on such classes,
    and `.configured({...})` dictionaries.

    Quiet for names that point at a secret rather than hold it (`password_env_var`,
    `secret_name`, `credentials_path`), placeholders (`"***"`, `"<token>"`, `"${TOKEN}"`),
    environment-variable names (`"SNOWFLAKE_PASSWORD"`) and test modules.

    ## Why is this bad?
    The secret is in every clone of the repository and its history, and Dagster shows resource
    configuration in the UI. Rotating it means a code change and a deploy.

    ## Example
    ```python
    snowflake = SnowflakeResource(account="acme", password="hunter2")
    ```

    ## Use instead
    ```python
    snowflake = SnowflakeResource(account="acme", password=dg.EnvVar("SNOWFLAKE_PASSWORD"))
    ```
    """
    if model.is_test_module:
        return
    for owner, field, value in _config_fields(model):
        text = literal_str(value)
        if text is not None and _secret_value(field, text):
            yield Violation(value, field=field, owner=owner, env=env_var_name(owner.removesuffix("Resource").removesuffix("Config"), field))


def env_reads(model: ModuleModel, nodes, scope=None) -> Iterator[tuple[ast.expr, str]]:
    """(node, displayed text) for each read of the process environment among `nodes`."""
    for node in nodes:
        if isinstance(node, ast.Call):
            name = model.qualname(node.func, scope)
            if name in ("os.getenv", "os.environ.get"):
                yield node, _shorten(ast.unparse(node))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if model.qualname(node.value, scope) == "os.environ":
                yield node, _shorten(ast.unparse(node))


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _env_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and node.args:
        return literal_str(node.args[0])
    if isinstance(node, ast.Subscript):
        return literal_str(node.slice)
    return None


@rule(
    "DAG302",
    "env-read-at-definition",
    "W",
    "`{read}` configures `{owner}` when the definitions load: the value is frozen at load time and "
    "shown in the UI; use `dg.EnvVar(\"{env}\")`, which Dagster reads at run time",
)
def env_read_at_definition(model: ModuleModel):
    """Environment variable read in code to configure a resource.

    ## What it does
    Reports `os.getenv(...)`, `os.environ.get(...)` and `os.environ[...]` used as (part of) an
    argument of a resource or config constructor, or as the default of a field of a
    `ConfigurableResource`/`Config` subclass, outside asset and op bodies (those are DAG305).

    ## Why is this bad?
    The variable is read once, when the code location loads, in the process that loads it.
    The value is then stored in the resource's configuration, displayed in the Dagster UI
    (secrets included), and differs from the value the run worker would see. `dg.EnvVar` is
    resolved at run time and never displayed.

    ## Example
    ```python
    warehouse = SnowflakeResource(password=os.getenv("SNOWFLAKE_PASSWORD"))
    ```

    ## Use instead
    ```python
    warehouse = SnowflakeResource(password=dg.EnvVar("SNOWFLAKE_PASSWORD"))
    ```
    """
    compute_spans = [(d.node.lineno, d.node.end_lineno or d.node.lineno) for d in compute_bodies(model)]

    def in_compute(node: ast.AST) -> bool:
        return any(start <= node.lineno <= end for start, end in compute_spans)

    for owner, field, value in _config_fields(model):
        for node, text in env_reads(model, ast.walk(value)):
            if not in_compute(node):
                yield Violation(node, read=text, owner=owner, env=_env_name(node) or env_var_name(field))


@rule(
    "DAG304",
    "client-created-in-asset",
    "W",
    "{kind} `{name}` creates a client with `{client}()` in its body: connection settings are baked "
    "into the code and cannot change per environment or be mocked in tests; provide it through a "
    "`dg.ConfigurableResource` parameter",
)
def client_created_in_asset(model: ModuleModel):
    """External client created inside an asset or op body.

    ## What it does
    Reports a call to a known client constructor (`boto3.client`, `psycopg2.connect`,
    `sqlalchemy.create_engine`, `snowflake.connector.connect`, `duckdb.connect`,
    `bigquery.Client`, `requests.Session`, `pymongo.MongoClient`, `redis.Redis`, ...; the list
    is `CLIENT_CONSTRUCTORS` in `dagster_lint/knowledge.py`) inside an `@asset`,
    `@multi_asset`, `@op` or `@asset_check` body. Clients built in resources (including
    `setup_for_execution`/`create_resource`) are not reported.

    ## Why is this bad?
    The connection details live in the asset's code, so the same code cannot point at a dev
    warehouse locally and production in deployment, tests cannot substitute a fake, and the
    UI does not show which system the asset talks to. Resources solve all three.

    ## Example
    ```python
    @dg.asset
    def orders():
        conn = psycopg2.connect(host="db", dbname="shop")
        return pd.read_sql("select * from orders", conn)
    ```

    ## Use instead
    ```python
    class ShopDatabase(dg.ConfigurableResource):
        host: str
        def connect(self):
            return psycopg2.connect(host=self.host, dbname="shop")

    @dg.asset
    def orders(shop_db: ShopDatabase):
        return pd.read_sql("select * from orders", shop_db.connect())
    ```
    """
    for d in compute_bodies(model):
        for name, call in d.calls:
            if name in CLIENT_CONSTRUCTORS:
                yield Violation(call, kind=label(d), name=d.name, client=ast.unparse(call.func))
