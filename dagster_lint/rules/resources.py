"""DAG3xx: resources and configuration."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from dagster_lint.facts.resources import (
    DEFAULT_KEYS,
    assigned_anywhere,
    assignment_count,
    context_param,
    ops_used,
    providers,
)
from dagster_lint.keys import analyse
from dagster_lint.knowledge import (
    CLIENT_CONSTRUCTORS,
    CONNECT_LATER_CLIENTS,
    HTTP_SESSION_CONSTRUCTORS,
    PROCESS_ENVIRONMENT_VARIABLES,
    SERVICE_NAME_CLIENTS,
)
from dagster_lint.model import COMPUTE_KINDS, Definition, ModuleModel, call_kwargs, literal_str
from dagster_lint.project import Entry, ProjectIndex
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import (
    KIND_LABELS,
    compute_bodies,
    env_var_name,
    in_script_block,
    is_none,
    is_resource_or_config_call,
    label,
)

# A field name that holds a secret...
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:password|passwd|pwd|passphrase|token|secret|api_?key|access_?key|private_?key|"
    r"secret_?key|credentials?|client_secret|auth_key|signing_key)(?:$|_)",
    re.IGNORECASE,
)
# ...unless the name says it holds something that points at the secret, or describes it, instead.
_SECRET_POINTER = re.compile(
    r"(?:_|^)(?:name|path|file|filename|env|env_var|var|url|uri|endpoint|type|field|header|location|"
    r"arn|id|id_env|ref|key_name|secret_name|expiry|expires?|ttl|length|len|prefix|scope|source|provider|"
    r"version|region|store|backend|manager|kind|format|mode|method|algorithm|encoding|audience)$",
    re.IGNORECASE,
)
# Tokens that page through results rather than authenticate.
_NOT_A_SECRET = re.compile(r"(?:^|_)(?:page|next|pagination|continuation|sync)_token$", re.IGNORECASE)
# `scheme://user:password@host` (the user may be empty), where the password is not a placeholder.
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.\-]*://[^:/@\s]*:(?P<pw>[^@\s/]+)@", re.IGNORECASE)
_URL_NAME = re.compile(
    r"(?:^|_)(?:url|uri|dsn|conn|connection|connection_string|conn_str|database_url)(?:$|_)", re.IGNORECASE
)
_PLACEHOLDER = re.compile(
    r"^(?:\*+|x+|<[^>]*>|\{[^}]*\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%\(?\w*\)?s|\.\.\.|"
    r"change[-_ ]?me|replace[-_ ]?me|todo|tbd|dummy|fake|placeholder|redacted|none|null|unset|not[-_ ]?set|"
    r"your[-_ ].*)$",
    re.IGNORECASE,
)
_TEMPLATE = re.compile(r"\{\{|\$\{|%\(")
_ENV_STYLE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Field names already prefixed with their provider, as their conventional variables are.
_PROVIDER_FIELD = re.compile(r"^(?:aws|gcp|google|azure)_", re.IGNORECASE)
_OWNER_SUFFIXES = ("IOManager", "Resource", "Config", "Client", "_io_manager", "_resource", "_config")
_FIELD_FACTORIES = frozenset({"pydantic.Field", "pydantic.fields.Field"})
_ENV_GETTERS = frozenset({"os.getenv", "os.environ.get"})
# Paths: integrations check them when the resource is created (DbtCliResource's `project_dir`
# must hold a dbt_project.yml), which an unresolved `EnvVar` would fail.
_PATH_FIELD = re.compile(r"(?:^|_)(?:dir|directory|folder|path|file|executable)$", re.IGNORECASE)


def _secret_value(field: str, value: str) -> bool:
    """A literal that is plausibly a real secret for a field of that name."""
    value = value.strip()
    if not value or _PLACEHOLDER.match(value) or _TEMPLATE.search(value) or _ENV_STYLE.match(value):
        return False
    if _SECRET_NAME.search(field) and not _SECRET_POINTER.search(field) and not _NOT_A_SECRET.search(field):
        return True
    match = _URL_WITH_PASSWORD.match(value)
    return bool(match and _URL_NAME.search(field) and not _PLACEHOLDER.match(match.group("pw")))


@dataclass
class ConfigValue:
    """A value given to a resource or config field, and where it is given."""

    owner: str  # the class (or `.configured` receiver) as displayed
    field: str
    value: ast.expr
    site: ast.AST  # the call or the class-body statement, for scope questions
    form: str  # "kwarg", "default" (a class field's default) or "configured"

    def env_name(self) -> str:
        if _PROVIDER_FIELD.match(self.field):
            return env_var_name(self.field)
        base = self.owner.rsplit(".", 1)[-1]
        for suffix in _OWNER_SUFFIXES:
            if base.endswith(suffix) and base != suffix:
                base = base[: -len(suffix)]
                break
        return env_var_name(base, self.field)

    def fix(self, env: str, getter: str = "dg.EnvVar", spelled: str | None = None) -> str:
        """What to write instead of the value, in words. `spelled` is the code that names the
        variable when it is not a literal (`self.password_env_var`)."""
        name = spelled or f'"{env}"'
        if self.form == "configured":
            return f'use `{{"env": {name}}}`, which Dagster resolves at run time'
        if self.form == "default":
            return f'remove the default and pass `{getter}({name})` where `{self.owner}` is created'
        return f'use `{getter}({name})`, which Dagster resolves at run time'


# The names `is_resource_or_config_call` and `_owner` can accept, by their last part.
_OWNER_SUFFIXES = ("Resource", "IOManager", "Config", "Client")


def _owner(model: ModuleModel, call: ast.Call) -> str | None:
    """The resource or config class a call constructs, also when it is defined in another module."""
    func = call.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if not (last.endswith(_OWNER_SUFFIXES) or last in model.classes or last in model.imports):
        return None  # most calls, decided without resolving the name
    owner = is_resource_or_config_call(model, call)
    if owner and owner.endswith("Client") and not (isinstance(func, ast.Name) and func.id in model.classes):
        # Dagster's Pipes and GraphQL clients are plain classes: `EnvVar` means nothing to them.
        return None
    if owner:
        return owner
    if last[:1].isupper() and last.endswith(("Resource", "IOManager")):
        # The project's own resources, defined in another module (`from .resources import ...`).
        return last
    return None


def _unwrap_field(model: ModuleModel, value: ast.expr) -> ast.expr:
    """`pydantic.Field(default=x, ...)` -> `x`."""
    if isinstance(value, ast.Call) and model.qualname(value.func) in _FIELD_FACTORIES:
        for kw in value.keywords:
            if kw.arg == "default":
                return kw.value
        if value.args:
            return value.args[0]
    return value


def _config_values(model: ModuleModel) -> Iterator[ConfigValue]:
    """Every value given to a resource or config field.

    Keyword arguments of resource/config constructors, defaults of fields declared on
    ConfigurableResource/Config subclasses, and keys of dicts passed to `.configured(...)`.
    """
    for call in model.all_calls:
        owner = _owner(model, call)
        if owner:
            for kw in call.keywords:
                if kw.arg:
                    yield ConfigValue(owner, kw.arg, _unwrap_field(model, kw.value), call, "kwarg")
        elif (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "configured"
            and call.args
            and isinstance(call.args[0], ast.Dict)
        ):
            owner = ast.unparse(call.func.value)
            for key, value in zip(call.args[0].keys, call.args[0].values):
                name = literal_str(key)
                if name:
                    yield ConfigValue(owner, name, value, call, "configured")
    for info in model.classes.values():
        if info.kind is None:
            continue
        for stmt in info.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                yield ConfigValue(info.node.name, stmt.target.id, _unwrap_field(model, stmt.value), stmt, "default")
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                yield ConfigValue(info.node.name, stmt.targets[0].id, _unwrap_field(model, stmt.value), stmt, "default")


def _config_value_list(model: ModuleModel) -> list[ConfigValue]:
    return list(_config_values(model))


class _Scopes:
    """Which lines run when the code location loads, and which only later, inside a run or tick."""

    # Definitions whose body Dagster calls after loading: in a run, at a sensor or schedule tick,
    # or when a run initialises a function-style resource.
    _LATER_KINDS = COMPUTE_KINDS | {"sensor", "schedule", "resource"}

    def __init__(self, model: ModuleModel) -> None:
        self.later = [_span(d.node) for d in model.definitions if d.kind in self._LATER_KINDS]
        for info in model.classes.values():
            if info.kind is not None:
                # Methods of resources and configs run when a run uses them.
                self.later.extend(
                    _span(stmt) for stmt in info.node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                )
        self.functions = [_span(f) for f in model.functions]

    def runs_later(self, node: ast.AST) -> bool:
        return _inside(node, self.later)

    def in_function(self, node: ast.AST) -> bool:
        return _inside(node, self.functions)


def _span(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.end_lineno or node.lineno


def _inside(node: ast.AST, spans: list[tuple[int, int]]) -> bool:
    line = node.lineno
    return any(start <= line <= end for start, end in spans)


def _module_constant(model: ModuleModel, cv: ConfigValue, scopes: _Scopes) -> ast.expr | None:
    """The value of the module-level constant `cv.value` names, when nothing closer can shadow it."""
    if isinstance(cv.value, ast.Name) and not scopes.in_function(cv.site):
        return model.constants.get(cv.value.id)
    return None


def _segment(model: ModuleModel, node: ast.AST, limit: int = 60) -> str:
    text = model.segment(node) or ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@rule(
    "DAG301",
    "hardcoded-secret",
    "E",
    "`{field}` of `{owner}` {verb} a secret written in the code: it lands in version control and in the "
    "Dagster UI; {fix}",
)
def hardcoded_secret(model: ModuleModel):
    """A password, token or key written as a string literal in resource or config code.

    ## What it does
    Reports a non-empty string literal given to, or declared as the default of, a resource or
    config field whose name says it holds a secret (`password`, `token`, `secret`, `api_key`,
    `access_key`, `private_key`, `credentials`, ...), and connection URLs with an embedded
    password (`postgresql://user:hunter2@host/db`) in fields such as `url`, `dsn` or
    `connection_string`. It looks at keyword arguments of `ConfigurableResource`/`Config`
    classes (the module's own, imported ones named `...Resource`/`...IOManager`, and
    Dagster's integrations), field defaults on such classes (`pydantic.Field(default=...)`
    included), `.configured({...})` dictionaries, and module constants passed to any of these.

    Quiet for names that point at a secret or describe it rather than hold it
    (`password_env_var`, `secret_name`, `credentials_path`, `aws_access_key_id`,
    `secret_version`), pagination tokens (`page_token`), placeholders (`"***"`, `"<token>"`,
    `"${TOKEN}"`, `"changeme"`), environment-variable names (`"SNOWFLAKE_PASSWORD"`), empty
    strings, classes that are not resources or configs, and test modules.

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
    scopes = _Scopes(model)
    seen: set[int] = set()
    for cv in model.shared(_config_value_list):  # DAG301 and DAG302 ask the same
        value = cv.value
        constant = _module_constant(model, cv, scopes)
        if constant is not None:
            value = constant
        text = literal_str(value)
        if text is None or id(value) in seen or not _secret_value(cv.field, text):
            continue
        seen.add(id(value))
        verb = "defaults to" if cv.form == "default" and constant is None else "is set to"
        yield Violation(value, field=cv.field, owner=cv.owner, verb=verb, fix=cv.fix(cv.env_name()))


def _env_read(model: ModuleModel, node: ast.AST) -> bool:
    """`os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]` (under any import form)."""
    if isinstance(node, ast.Call):
        return model.qualname(node.func) in _ENV_GETTERS
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and model.qualname(node.value) == "os.environ"
    )


def _env_arg(node: ast.expr) -> ast.expr | None:
    """The expression that names the variable a read reads: `"X"` in `os.getenv("X")`."""
    if isinstance(node, ast.Call):
        if node.args:
            return node.args[0]
        return next((kw.value for kw in node.keywords if kw.arg == "key"), None)
    if isinstance(node, ast.Subscript):
        return node.slice
    return None


def _env_name(node: ast.expr) -> str | None:
    return literal_str(_env_arg(node))


def _names_configuration(d: Definition, expr: ast.expr | None, depth: int = 0) -> bool:
    """Whether the expression naming a variable comes from configuration: a field
    (`self.token_env_var`, `config.key_variable`), a name the enclosing factory binds, or a local
    assigned from one of these. Names computed in the body (`"SHOP_" + region`) do not."""
    if expr is None or depth > 6:
        return False
    if isinstance(expr, ast.BoolOp):  # `self.user_env_var or ""`
        return _names_configuration(d, expr.values[0], depth + 1)
    if isinstance(expr, ast.Subscript):  # `endpoint["token_env_var"]`
        return _names_configuration(d, expr.value, depth + 1)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
        return _names_configuration(d, expr.func.value, depth + 1)  # `endpoints.get(name)`
    if isinstance(expr, ast.Attribute):
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        ctx = d.context_param
        return not (isinstance(root, ast.Name) and ctx is not None and root.id == ctx.arg)
    if isinstance(expr, ast.Name):
        if expr.id not in d.local_names:
            return True  # bound by the enclosing factory
        values = [
            n.value
            for n in d.body_nodes
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
        ]
        # `for endpoint in self.endpoints:` (or a comprehension): each item of a configured list.
        values += [
            n.iter
            for n in d.body_nodes
            if isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension))
            and isinstance(n.target, ast.Name)
            and n.target.id == expr.id
        ]
        return bool(values) and all(_names_configuration(d, v, depth + 1) for v in values)
    return False


def _variable_named(model: ModuleModel, d: Definition, node: ast.expr) -> str | None:
    """The variable a read in `d` reads, written as a literal or a module constant."""
    arg = _env_arg(node)
    if isinstance(arg, ast.Name) and arg.id not in d.local_names and arg.id not in model.imports:
        arg = model.constants.get(arg.id)
    return literal_str(arg)


def _load_time_reads(model: ModuleModel, value: ast.expr) -> Iterator[tuple[ast.expr, ast.expr | None, str]]:
    """(node to report, what names the variable, EnvVar spelling) for values `dg.EnvVar` could replace.

    The read itself, `read or "default"`, `int(read)`, and `dg.EnvVar("X").get_value()`. Values
    derived from a variable in other ways (`.split(",")`, comparisons, f-strings) have no
    `EnvVar` equivalent and are left alone.
    """
    getter = "dg.EnvVar"
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "int"
        and value.func.id not in model.imports
        and value.func.id not in model.toplevel_names
        and len(value.args) == 1
        and not value.keywords
    ):
        value, getter = value.args[0], "dg.EnvVar.int"
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2:
        if isinstance(value.values[1], ast.Constant):
            value = value.values[0]
    if _env_read(model, value):
        yield value, _env_arg(value), getter
    elif (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get_value"
        and isinstance(value.func.value, ast.Call)
        and model.qualname(value.func.value.func) == "dagster.EnvVar"
    ):
        yield value, _env_arg(value.func.value), "dg.EnvVar"


@rule(
    "DAG302",
    "env-read-at-definition",
    "W",
    "`{read}` sets `{field}` of `{owner}` when the code location loads: the value is frozen then and "
    "shown in the Dagster UI; {fix}",
)
def env_read_at_definition(model: ModuleModel):
    """Environment variable read in code to configure a resource.

    ## What it does
    Reports `os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]` and
    `dg.EnvVar(...).get_value()` whose value configures a resource or config field when the
    code location loads: as a keyword argument of a resource/config constructor at module
    level, in `Definitions(resources={...})` or a `@dg.definitions` function, as the default of
    a field of a `ConfigurableResource`/`Config` subclass, in a `.configured({...})`
    dictionary, or through a module constant passed to any of these. `read or "default"` and
    `int(read)` count as the read.

    Quiet inside asset, op, asset check, sensor and schedule bodies and resource methods (they
    run later, in a run or tick; DAG305 covers asset bodies), for reads that configure nothing
    (`DEBUG = os.getenv("DEBUG")`), for values derived from a variable in ways `EnvVar`
    cannot express (`os.getenv("HOSTS", "").split(",")`), for a module constant that the
    module also computes other values from (`f"bucket_{ENVIRONMENT}"`: the variable is read
    at load anyway), for path fields (`project_dir`, `base_dir`, `key_path`), which
    integrations may validate when the resource is created, for resources built in
    `if __name__ == "__main__":` (a local run: no code location loads them), and in test
    modules (a test builds its resources itself; no UI shows them). When the variable's name
    is itself configuration (`os.environ.get(self.password_env_var)`), the fix names it the
    same way: `dg.EnvVar(self.password_env_var)`.

    ## Why is this bad?
    The variable is read once, when the code location loads, in the process that loads it.
    The value is then stored in the resource's configuration, displayed in the Dagster UI
    (secrets included), and may differ from the value the run worker would see. `dg.EnvVar`
    is resolved at run time and displayed by name only.

    ## Example
    ```python
    warehouse = SnowflakeResource(password=os.getenv("SNOWFLAKE_PASSWORD"))
    ```

    ## Use instead
    ```python
    warehouse = SnowflakeResource(password=dg.EnvVar("SNOWFLAKE_PASSWORD"))
    ```
    """
    if model.is_test_module:
        return
    scopes = _Scopes(model)
    seen: set[int] = set()
    for cv in model.shared(_config_value_list):  # DAG301 and DAG302 ask the same
        if scopes.runs_later(cv.site) or _PATH_FIELD.search(cv.field) or in_script_block(model, cv.site):
            continue
        values = [cv.value]
        constant = _module_constant(model, cv, scopes)
        if constant is not None and not _derived_at_load(model, cv.value.id):  # type: ignore[attr-defined]
            values.append(constant)
        for value in values:
            for node, arg, getter in _load_time_reads(model, value):
                if id(node) in seen:
                    continue
                seen.add(id(node))
                name = literal_str(arg)
                # A variable whose name is configured (`self.password_env_var`): EnvVar takes it as is.
                spelled = _segment(model, arg) if name is None and arg is not None else None
                fix = cv.fix(name or cv.env_name(), getter, spelled)
                yield Violation(node, read=_segment(model, node), field=cv.field, owner=cv.owner, fix=fix)


# Where a module-level name is used to compute another value, not handed over as it is.
_DERIVING_PARENTS = (ast.FormattedValue, ast.BinOp, ast.Attribute, ast.Subscript, ast.IfExp)


def _derived_at_load(model: ModuleModel, name: str) -> bool:
    """Whether module-level code also computes other values from constant `name`
    (`f"bucket_{environment}"`, `environment == "prod"`): the module needs the variable when it
    loads anyway, and one `EnvVar` cannot stand in for those uses."""
    functions = [(f.lineno, f.end_lineno or f.lineno) for f in model.functions]
    for node in model.nodes_of(ast.Name):
        if node.id != name or not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            continue
        if any(start <= node.lineno <= end for start, end in functions):
            continue
        parent = model.parent(node)
        if isinstance(parent, _DERIVING_PARENTS):
            return True
        if isinstance(parent, ast.Compare) and not any(is_none(c) for c in [parent.left, *parent.comparators]):
            return True
    return False


@rule(
    "DAG304",
    "client-created-in-asset",
    "W",
    "{kind} `{name}` creates a client with `{client}(...)` in its body: the connection is fixed in "
    "code, so it cannot differ per environment or be replaced in tests; receive it from a "
    "`dg.ConfigurableResource` parameter instead",
)
def client_created_in_asset(model: ModuleModel):
    """External client created inside an asset or op body.

    ## What it does
    Reports a call to a known client constructor (`boto3.client`, `psycopg2.connect`,
    `sqlalchemy.create_engine`, `snowflake.connector.connect`, `duckdb.connect`,
    `bigquery.Client`, `requests.Session`, `pymongo.MongoClient`, `redis.Redis`, ...; the list
    is `CLIENT_CONSTRUCTORS` in `dagster_lint/knowledge.py`) inside an `@asset`,
    `@multi_asset`, `@op` or `@asset_check` body, also a constructor handed to a helper that
    calls it (`backoff(fn=duckdb.connect, kwargs={"database": path})`). Clients built in
    resources (including `setup_for_execution`/`create_resource`), helper functions, sensors
    and in-memory databases (`duckdb.connect()`, `duckdb.connect(":memory:")`) are not
    reported, nor are
    plain HTTP sessions created without arguments (`requests.Session()`: a connection pool,
    the URL is in each request), nor clients of a definition built by a factory (a component's
    `build_defs`, a function that returns assets) whose settings all come from the factory's
    configuration rather than from literals naming a host or URL: each instance of the factory
    connects where its own configuration says.

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
            if name not in CLIENT_CONSTRUCTORS or _in_memory(name, call):
                continue
            settings = _client_settings(name, _connect_call(d, call) if name in CONNECT_LATER_CLIENTS else call)
            if not settings and name in HTTP_SESSION_CONSTRUCTORS:
                continue
            if d.nested and settings and not any(_names_location(field, value) for field, value in settings):
                continue
            yield Violation(call, kind=label(d), name=d.name, client=ast.unparse(call.func))
        if not d.nested:
            for reference, name in _constructors_passed(d):
                yield Violation(reference, kind=label(d), name=d.name, client=ast.unparse(reference))


def _constructors_passed(d: Definition) -> Iterator[tuple[ast.expr, str]]:
    """Client constructors handed to a helper that calls them (`backoff(fn=duckdb.connect,
    kwargs={"database": path})`), with the settings in the helper's dict arguments."""
    model = d.module
    for _, call in d.calls:
        arguments = [*call.args, *(kw.value for kw in call.keywords)]
        for arg in arguments:
            if not isinstance(arg, (ast.Name, ast.Attribute)):
                continue
            name = model.qualname(arg, d)
            if name not in CLIENT_CONSTRUCTORS or name in HTTP_SESSION_CONSTRUCTORS:
                continue
            if name in _IN_MEMORY:
                keyword, _ = _IN_MEMORY[name]
                given = [
                    value
                    for a in arguments
                    if isinstance(a, ast.Dict)
                    for key, value in zip(a.keys, a.values)
                    if literal_str(key) == keyword
                ]
                if _opens_memory(name, given[0] if given else None):
                    continue
            yield arg, name


def _connect_call(d: Definition, constructor: ast.Call) -> ast.Call:
    """`client.connect(...)` for `client = paramiko.SSHClient()` in the same body, or the constructor."""
    assign = d.module.parent(constructor)
    if isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name):
        variable = assign.targets[0].id
        for _, call in d.calls:
            func = call.func
            receiver = func.value if isinstance(func, ast.Attribute) and func.attr == "connect" else None
            if isinstance(receiver, ast.Name) and receiver.id == variable:
                return call
    return constructor


def _client_settings(name: str, call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(keyword or "", value) for what a client constructor is told about where to connect."""
    positional = call.args[1:] if name in SERVICE_NAME_CLIENTS else call.args
    return [("", a) for a in positional] + [(kw.arg or "", kw.value) for kw in call.keywords]


def _names_location(field: str, value: ast.expr) -> bool:
    """A literal host, URL or environment-specific value (`"db.internal"`, `"postgresql://..."`)."""
    text = literal_str(value)
    return text is not None and (_host_of(text) is not None or _environment_bound(field, text) is not None)


# Connections to a database that lives in the process: a computation engine, not an external system.
_IN_MEMORY = {
    "duckdb.connect": ("database", frozenset({":memory:"})),
    "sqlalchemy.create_engine": ("url", frozenset({"sqlite://", "sqlite:///:memory:", "duckdb:///:memory:"})),
}


def _in_memory(name: str, call: ast.Call) -> bool:
    if name not in _IN_MEMORY:
        return False
    keyword, _ = _IN_MEMORY[name]
    return _opens_memory(name, call.args[0] if call.args else call_kwargs(call).get(keyword))


def _opens_memory(name: str, target: ast.expr | None) -> bool:
    """Whether the database argument `target` of an `_IN_MEMORY` constructor (None: not given)
    opens an in-memory database."""
    if target is None:
        return name == "duckdb.connect"
    text = literal_str(target)
    return text is not None and (text in _IN_MEMORY[name][1] or text.startswith(":memory:"))


_ENV_READ_NODES = frozenset({ast.Call, ast.Subscript})


def _env_read_in(model: ModuleModel, node: ast.AST, scope: Definition) -> bool:
    """`_env_read`, with names bound in `scope` shadowing the imports (`os = FakeOs()`)."""
    if isinstance(node, ast.Call):
        return model.qualname(node.func, scope) in _ENV_GETTERS
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and model.qualname(node.value, scope) == "os.environ"
    )


@rule(
    "DAG305",
    "env-read-in-asset",
    "W",
    "{kind} `{name}` reads `{read}` when it runs: the value comes from whichever process runs the "
    "step and is not recorded with the run; {fix}",
)
def env_read_in_asset(model: ModuleModel):
    """Environment variable read inside an asset or op body.

    ## What it does
    Reports `os.getenv(...)`, `os.environ.get(...)` and `os.environ[...]` (under any import
    form) inside an `@asset`, `@multi_asset`, `@op`, `@asset_check` or observable source
    asset body, nested helper functions of the body included.

    Quiet when the variable's name is itself configuration (`os.environ[self.api_key_env_var]`,
    `os.getenv(config.token_variable)`: the name is recorded with the configuration and the
    value is read when the step runs, as `dg.EnvVar` does), for variables that describe the
    process or platform the step runs on (`DAGSTER_HOME`, `DAGSTER_CLOUD_DEPLOYMENT_NAME`,
    `USER`, `GOOGLE_APPLICATION_CREDENTIALS`; `PROCESS_ENVIRONMENT_VARIABLES` in
    `dagster_lint/knowledge.py`), in resource and config methods (`setup_for_execution`,
    `create_resource`, a resource's own methods: that is where environment-specific settings
    belong), in sensors and schedules (they run in the daemon and have no run configuration to
    take a value from), in helper functions that are not definitions, for passing the whole
    environment on (`env={**os.environ, ...}`, `os.environ.copy()`), for writes
    (`os.environ["X"] = ...`), and in test modules. A variable read twice in one expression
    (`os.environ.get("X") or os.getenv("X")`) is reported once, at the first read.

    ## Why is this bad?
    The step reads whatever environment its process happens to have: a local run, a run worker
    and a Kubernetes pod can each see a different value, and nothing in the run records which
    one was used. The value cannot be changed for a single run from the launchpad, and tests
    have to patch the process environment. A `dg.Config` field is recorded with every run; a
    resource field set with `dg.EnvVar` is resolved at run time, shown by name in the UI and
    replaced by a test double in tests.

    ## Example
    ```python
    @dg.asset
    def orders():
        region = os.getenv("SHOP_REGION", "eu")
        return fetch_orders(region)
    ```

    ## Use instead
    ```python
    class ShopApi(dg.ConfigurableResource):
        region: str

    @dg.asset
    def orders(shop_api: ShopApi):
        return fetch_orders(shop_api.region)

    defs = dg.Definitions(
        assets=[orders],
        resources={"shop_api": ShopApi(region=dg.EnvVar("SHOP_REGION"))},
    )
    ```
    """
    if model.is_test_module or not any(v == "os" or v.startswith("os.") for v in model.imports.values()):
        return  # every reader this rule knows resolves through an import of `os`
    for d in compute_bodies(model):
        seen: set[str] = set()
        reads = sorted(
            (n for n in d.body_nodes if type(n) in _ENV_READ_NODES and _env_read_in(model, n, d)),
            key=lambda n: (n.lineno, n.col_offset),  # type: ignore[attr-defined]
        )
        for node in reads:
            env = _variable_named(model, d, node)
            if env is None and _names_configuration(d, _env_arg(node)):
                continue  # the variable's name is configuration (`self.api_key_env_var`)
            if env in PROCESS_ENVIRONMENT_VARIABLES:
                continue
            # `os.environ.get("X") or os.getenv("X")`: one variable, one finding.
            if env is not None and env in seen:
                continue
            seen.add(env or "")
            getter = f'`dg.EnvVar("{env}")`' if env else "`dg.EnvVar`"
            fix = f"move it to a resource field set with {getter} (or a `dg.Config` field) and take that as a parameter"
            yield Violation(node, kind=label(d), name=d.name, read=_segment(model, node), fix=fix)


# Bases whose subclasses are frozen pydantic models (the plain `IOManager` is not one).
_PYDANTIC_BASES = frozenset(
    {
        "dagster.ConfigurableResource",
        "dagster.ConfigurableIOManager",
        "dagster.ConfigurableIOManagerFactory",
        "dagster.ConfigurableResourceFactory",
        "dagster.ConfigurableLegacyIOManagerAdapter",
        "dagster.Config",
        "dagster.PermissiveConfig",
    }
)
_NO_INSTANCE = frozenset({"staticmethod", "classmethod"})


def _binds_no_instance(model: ModuleModel, decorator: ast.expr) -> bool:
    """`@staticmethod`, `@classmethod`: the first parameter is not the instance."""
    return isinstance(decorator, ast.Name) and decorator.id in _NO_INSTANCE and decorator.id not in model.imports


def _frozen_kind(model: ModuleModel, cls: ast.ClassDef, seen: frozenset[str] = frozenset()) -> str | None:
    """"resource" or "config" when instances of `cls` are frozen Dagster models, else None.

    Integrations' `...Resource` classes (`dagster_snowflake.SnowflakeResource`) are
    `ConfigurableResource`s. A class that defines `__setattr__` or its own `model_config`
    (which may unfreeze it) is left alone, and so are bases the module cannot see.
    """
    if cls.name in seen or _unfreezes(cls):
        return None
    kind = None
    for base in cls.bases:
        if isinstance(base, ast.Subscript):  # ConfigurableResourceFactory[Engine]
            base = base.value
        if isinstance(base, ast.Name) and base.id in model.classes and base.id not in model.imports:
            found = _frozen_kind(model, model.classes[base.id].node, seen | {cls.name})
            if found is None and model.classes[base.id].kind is not None:
                return None  # a local base that unfreezes the model
        else:
            name = model.qualname(base) or ""
            found = None
            if name in _PYDANTIC_BASES:
                found = "config" if name.endswith("Config") else "resource"
            elif name.startswith("dagster_") and name.rsplit(".", 1)[-1].endswith("Resource"):
                found = "resource"
        kind = kind or found
    return kind


def _unfreezes(cls: ast.ClassDef) -> bool:
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__setattr__":
            return True
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            return True
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        if any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
            return True
    return False


def _declared_fields(model: ModuleModel, cls: ast.ClassDef, seen: frozenset[str] = frozenset()) -> set[str]:
    """Annotated class attributes of `cls` and of its bases in the same module."""
    fields = {
        stmt.target.id for stmt in cls.body if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
    }
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in model.classes and base.id not in seen:
            fields |= _declared_fields(model, model.classes[base.id].node, seen | {cls.name})
    return fields


def _self_assignments(
    model: ModuleModel, method: ast.FunctionDef | ast.AsyncFunctionDef, self_name: str
) -> Iterator[tuple[ast.AST, str]]:
    """(node, attribute) for `self.x = ...`, `self.x += ...`, `self.x: T = ...` and
    `setattr(self, "x", ...)` in a method, nested functions included, nested classes not."""
    if not any(_may_set_attribute(n, self_name) for n in model.body_nodes(method)):
        return  # most methods: no attribute of `self` is stored, nothing calls `setattr`
    stack: list[ast.AST] = list(method.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            params = node.args
            if any(a.arg == self_name for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]):
                continue  # rebinds the name
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, ast.NamedExpr):
            targets = []
        for target in targets:
            for t in ast.walk(target) if isinstance(target, (ast.Tuple, ast.List, ast.Starred)) else [target]:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == self_name:
                    yield t, t.attr
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == self_name
            and literal_str(node.args[1])
        ):
            yield node, literal_str(node.args[1]) or ""
        stack.extend(ast.iter_child_nodes(node))


def _may_set_attribute(node: ast.AST, self_name: str) -> bool:
    kind = type(node)
    if kind is ast.Name:
        return node.id == "setattr"  # type: ignore[attr-defined]
    return (
        kind is ast.Attribute
        and type(node.ctx) is ast.Store  # type: ignore[attr-defined]
        and type(node.value) is ast.Name  # type: ignore[attr-defined]
        and node.value.id == self_name  # type: ignore[attr-defined]
    )


@rule(
    "DAG306",
    "resource-mutated",
    "E",
    "`{cls}.{method}` assigns `self.{attr}`, but `{cls}` is a frozen {what}: this raises "
    "`DagsterInvalidInvocationError` when it runs; {fix}",
)
def resource_mutated(model: ModuleModel):
    """Assignment to an attribute of a `ConfigurableResource` or `Config` instance.

    ## What it does
    Reports `self.attr = ...` (also `+=`, annotated assignments, `for self.attr in ...` and
    `setattr(self, "attr", ...)`) in any method of a class derived from
    `dg.ConfigurableResource`, `dg.ConfigurableIOManager`, `dg.ConfigurableIOManagerFactory`,
    `dg.ConfigurableResourceFactory`, an integration's `...Resource` class, `dg.Config` or
    `dg.PermissiveConfig`, directly or through classes of the same module, when `attr` is a
    public name (a field or an undeclared attribute). `__init__` and `setup_for_execution` are
    not exceptions: the instance is frozen from the start.

    Quiet for private attributes (`self._client = ...`, whether declared with
    `PrivateAttr()` or not: pydantic lets them change), `object.__setattr__(self, ...)`,
    classes that define `__setattr__` or their own `model_config`, plain `dg.IOManager`
    subclasses, dataclasses and other classes that are not Dagster models, and bases
    the module cannot see.

    ## Why is this bad?
    Resources and config classes are frozen pydantic models. Assigning a public attribute
    raises `DagsterInvalidInvocationError` ("does not support item assignment") the first time
    the method runs, which is usually in a deployed run, not when the code location loads.

    ## Example
    ```python
    class Warehouse(dg.ConfigurableResource):
        url: str

        def setup_for_execution(self, context):
            self.engine = sqlalchemy.create_engine(self.url)
    ```

    ## Use instead
    ```python
    class Warehouse(dg.ConfigurableResource):
        url: str
        _engine: sqlalchemy.Engine = PrivateAttr()

        def setup_for_execution(self, context):
            self._engine = sqlalchemy.create_engine(self.url)
    ```
    """
    for info in model.classes.values():
        kind = _frozen_kind(model, info.node)
        if kind is None:
            continue
        fields = _declared_fields(model, info.node)
        for method in info.node.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if any(_binds_no_instance(model, dec) for dec in method.decorator_list):
                continue
            positional = [*method.args.posonlyargs, *method.args.args]
            if not positional:
                continue
            self_name = positional[0].arg
            for node, attr in _self_assignments(model, method, self_name):
                if attr.startswith("_"):
                    continue
                if kind == "config":
                    what, fix = "`dg.Config` class", "compute the new value into a local variable instead"
                elif attr in fields:
                    what, fix = (
                        "resource",
                        f"`{attr}` is a field, fixed once the resource is configured: keep the changing value in a "
                        f"private attribute (`_{attr}: Any = PrivateAttr()`) or a local variable",
                    )
                else:
                    what, fix = (
                        "resource",
                        f"declare `_{attr}: Any = PrivateAttr()` and assign `self._{attr}` in `setup_for_execution`",
                    )
                yield Violation(node, cls=info.node.name, method=method.name, attr=attr, what=what, fix=fix)


# ----------------------------------------------------------------------------- DAG303

# Words that name a deployment environment, as whole tokens of a name (`analytics_prod`,
# `warehouse-dev`, `db.staging.internal`). `stg`/`stage` and `test` are left out: dbt's
# staging layer and test schemas use them without meaning an environment.
_ENV_TOKENS = frozenset(
    {"prod", "production", "prd", "dev", "develop", "development", "staging", "uat", "qa", "preprod"}
)
# In schema and dataset names, `staging` is usually dbt's layer, not an environment.
_LAYER_TOKENS = frozenset({"staging"})
_SCHEMA_FIELD = re.compile(r"(?:^|_)(?:schema|dataset)(?:_name)?$", re.IGNORECASE)
# Fields whose value names a place data lives in, where an environment name is a tell.
_LOCATION_FIELD = re.compile(
    r"(?:^|_)(?:bucket|schema|database|db|dbname|dataset|catalog|project|project_id|warehouse|"
    r"container|namespace|prefix|index|topic|queue|target|env|environment|deployment|account)(?:_name|_id)?$",
    re.IGNORECASE,
)
_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "host.docker.internal"})
_PRIVATE_SUFFIXES = (".internal", ".local", ".localdomain", ".lan", ".corp", ".intranet", ".intra", ".home.arpa")
_PRIVATE_IP = re.compile(r"^(?:10\.\d+|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d+\.\d+$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")
_URL = re.compile(r"^[a-z][a-z0-9+.\-]*://(?:[^@/\s]*@)?(?P<host>\[[^\]]+\]|[^:/?#\s]+)", re.IGNORECASE)
_HOST_FIELD = re.compile(r"(?:^|_)(?:host|hostname|server|endpoint|address|url|uri|dsn|domain)(?:$|_)", re.IGNORECASE)
# Home directories and Windows drives: paths that exist on one person's machine.
_MACHINE_PATH = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://)?/?(?:/home/[^/]+|/Users/[^/]+|/root(?:/|$)|[A-Za-z]:[\\/])")
# Object stores: the "host" of `s3://analytics-prod/raw` is a bucket.
_BUCKET_SCHEMES = frozenset({"s3", "s3a", "gs", "gcs", "abfs", "abfss", "az", "wasb", "wasbs", "adl", "r2", "oss"})


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN_SPLIT.split(text) if t]


def _host_of(value: str) -> str | None:
    """The host a string names: a URL's host, or the string itself when it is a bare host."""
    match = _URL.match(value)
    if match:
        return match.group("host").lower()
    if "/" in value or " " in value:
        return None
    host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value  # `db.internal:5432`
    return host.lower() if host in _LOCAL_HOSTS or _HOSTNAME.match(host) or _PRIVATE_IP.match(host) else None


def _environment_bound(field: str, value: str) -> str | None:
    """What the literal is tied to, in words, or None."""
    value = value.strip()
    if not value or _TEMPLATE.search(value) or _PLACEHOLDER.match(value):
        return None
    if _MACHINE_PATH.match(value):
        return "a path on one machine"
    host = _host_of(value)
    if host is not None:
        if host in _LOCAL_HOSTS:
            return "the local machine"
        if _PRIVATE_IP.match(host):
            return "an address in one private network"
        if "." in host and host.endswith(_PRIVATE_SUFFIXES):
            return "a host in one private network"
        env = next((t for t in _tokens(host) if t in _ENV_TOKENS), None)
        if env is not None and value.split("://", 1)[0].lower() in _BUCKET_SCHEMES:
            return f"the `{env}` environment"
        if env is not None and (_HOST_FIELD.search(field) or _URL.match(value)):
            return f"a host of the `{env}` environment"
        if _URL.match(value) or "." in host:
            return None
    if "/" in value or "\\" in value or re.search(r"\.[A-Za-z0-9]{1,8}$", value):
        return None  # a relative path or a file name
    if _LOCATION_FIELD.search(field):
        tokens = set(_tokens(value)) & _ENV_TOKENS
        if _SCHEMA_FIELD.search(field):
            tokens -= _LAYER_TOKENS
        if tokens:
            return f"the `{sorted(tokens)[0]}` environment"
    return None


def _single_module_constant(model: ModuleModel, name: str) -> ast.expr | None:
    """A module constant assigned exactly once in the whole module: one value for every environment."""
    value = model.constants.get(name)
    if value is None or assignment_count(model.tree, name) != 1:
        return None
    return value


class _Feeding:
    """The resource constructor calls whose configuration a module's `Definitions` loads.

    Follows `Definitions(resources={...})` (at module level or in a `@dg.definitions`
    function) into the values of the mapping, module-level constants they name (the mapping
    itself, `**base` spreads, resource instances) and resources nested in other resources'
    arguments, also in a list or tuple. Stops at anything chosen per environment: `if` blocks
    around the `Definitions`, conditional expressions, subscripts (`resources_by_env[env]`) and
    calls.
    """

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self.parents = model.parents
        self.calls: dict[int, tuple[ast.Call, bool]] = {}  # id -> (call, a value of the mapping itself)
        self._seen_names: set[str] = set()
        self._scope: ast.AST | None = None
        definitions_functions = {id(d.node) for d in model.of_kind("definitions")}
        for call in model.calls_to("dagster.Definitions"):
            if self._chosen_per_environment(call, definitions_functions):
                continue
            resources = next((kw.value for kw in call.keywords if kw.arg == "resources"), None)
            if resources is not None:
                self._scope = self._function_of(call)
                self._mapping(resources)

    def _function_of(self, node: ast.AST) -> ast.AST | None:
        while id(node) in self.parents:
            node = self.parents[id(node)]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def _chosen_per_environment(self, call: ast.Call, definitions_functions: set[int]) -> bool:
        """Inside an `if`, or in a function other than a `@dg.definitions` one."""
        node: ast.AST = call
        while id(node) in self.parents:
            node = self.parents[id(node)]
            if isinstance(node, (ast.If, ast.IfExp, ast.Match, ast.Try, ast.Lambda)):
                return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return id(node) not in definitions_functions or id(node) in self.parents and not isinstance(
                    self.parents[id(node)], ast.Module
                )
            if isinstance(node, ast.ClassDef):
                return True
        return False

    def _constant(self, node: ast.expr) -> ast.expr | None:
        """The value of a module-level name assigned once (not per environment in an `if`),
        unless the enclosing `@dg.definitions` function binds the name itself."""
        if not isinstance(node, ast.Name) or node.id in self._seen_names:
            return None
        if self._scope is not None and assigned_anywhere(self._scope, node.id):
            return None
        self._seen_names.add(node.id)
        return _single_module_constant(self.model, node.id)

    def _mapping(self, node: ast.expr) -> None:
        constant = self._constant(node)
        if constant is not None:
            self._mapping(constant)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    self._mapping(value)
                else:
                    self._value(value, direct=True)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # `base | {...}`
            self._mapping(node.left)
            self._mapping(node.right)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            for kw in node.keywords:
                if kw.arg is None:
                    self._mapping(kw.value)
                else:
                    self._value(kw.value, direct=True)

    def _value(self, node: ast.expr, direct: bool = False) -> None:
        constant = self._constant(node)
        if constant is not None:
            self._value(constant, direct)
        elif isinstance(node, ast.Call):
            if id(node) in self.calls:
                return
            self.calls[id(node)] = (node, direct)
            # Resources given to a resource (`WarehouseIOManager(resource=warehouse)`), also in a
            # list (`SlingResource(connections=[source, destination])`).
            for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                for item in arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]:
                    if isinstance(item, (ast.Call, ast.Name)):
                        self._value(item)


@rule(
    "DAG303",
    "environment-specific-literal",
    "C",
    "`{field}` of `{owner}` is `{value}`, which points at {what}, in the resources this code location loads: every "
    "deployment uses it; {fix}, or choose the resources per environment",
)
def environment_specific_literal(model: ModuleModel):
    """Resource configured for one environment with a literal in `Definitions`.

    ## What it does
    Reports a string literal given to a resource that `Definitions(resources={...})` loads
    (directly, through a module-level resource instance or mapping, or nested in another
    resource) when the literal is tied to one environment:

    - the local machine: `localhost`, `127.0.0.1`, `host.docker.internal`, also inside a URL;
    - a private network: `10.x`/`172.16-31.x`/`192.168.x` addresses, host names under
      `.internal`, `.local`, `.lan`, `.corp`, and host names with an environment label
      (`db.prod.example.com`);
    - one machine's file system: `/home/...`, `/Users/...`, `/root/...`, `C:\\...`;
    - an environment's name in a bucket, database, schema, dataset, project, warehouse, prefix
      or dbt `target` field (`analytics-prod`, `RAW_DEV`, `target="dev"`).

    Quiet for ports and numbers, relative paths and file names (`data/dev.duckdb`), public
    hosts (`api.github.com`), `staging` in schema names (dbt's layer), values chosen per
    environment (`"prod" if env == "prod" else "dev"`, f-strings, mappings keyed by
    environment such as `resources_by_env[env]`, `Definitions` inside an `if`),
    `dg.EnvVar(...)`, resources that no `Definitions` of the module loads, and test modules.

    ## Why is this bad?
    The same code location is deployed to every environment. A literal that points at a
    developer's laptop, one private network or the production bucket makes a local run write
    to production, or a deployed run fail to connect, and the only way to change it is a code
    change. Dagster resolves `dg.EnvVar` per deployment.

    ## Example
    ```python
    defs = dg.Definitions(
        assets=[orders],
        resources={"warehouse": PostgresResource(host="localhost", database="shop_prod")},
    )
    ```

    ## Use instead
    ```python
    defs = dg.Definitions(
        assets=[orders],
        resources={
            "warehouse": PostgresResource(
                host=dg.EnvVar("WAREHOUSE_HOST"), database=dg.EnvVar("WAREHOUSE_DATABASE")
            )
        },
    )
    ```
    """
    if model.is_test_module:
        return
    feeding = _Feeding(model)
    scopes = _Scopes(model)
    seen: set[int] = set()
    for cv in _feeding_values(model, feeding):
        for field, value in _literal_fields(model, cv, scopes):
            text = literal_str(value)
            if text is None or id(value) in seen:
                continue
            found = _environment_bound(field, text)
            if found is None:
                continue
            seen.add(id(value))
            env = ConfigValue(cv.owner, field, value, cv.site, cv.form).env_name()
            fix = f'use `{{"env": "{env}"}}`' if cv.form == "configured" else f'use `dg.EnvVar("{env}")`'
            yield Violation(value, field=field, owner=cv.owner, value=_segment(model, value), what=found, fix=fix)


def _feeding_values(model: ModuleModel, feeding: _Feeding) -> Iterator[ConfigValue]:
    """The keyword arguments of the calls that build the resources `Definitions` loads.

    A call that is itself a value of the mapping builds a resource whatever its name; a call
    nested in a resource's arguments counts when it constructs a resource or config class.
    """
    for call, direct in feeding.calls.values():
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "configured":
            if call.args and isinstance(call.args[0], ast.Dict):
                owner = ast.unparse(func.value)
                for key, value in zip(call.args[0].keys, call.args[0].values):
                    name = literal_str(key)
                    if name:
                        yield ConfigValue(owner, name, value, call, "configured")
            continue
        owner = _owner(model, call)
        if owner is None and direct:
            owner = ast.unparse(func)
        if owner is None:
            continue
        for kw in call.keywords:
            if kw.arg:
                yield ConfigValue(owner, kw.arg, _unwrap_field(model, kw.value), call, "kwarg")


def _literal_fields(model: ModuleModel, cv: ConfigValue, scopes: _Scopes) -> Iterator[tuple[str, ast.expr]]:
    """(field, value) for a config value, a module constant it names, and the entries of a
    dict literal it holds (`connection_config={"host": ...}`)."""
    value = cv.value
    if isinstance(value, ast.Name) and not scopes.in_function(cv.site):
        value = _single_module_constant(model, value.id) or value
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values):
            name = literal_str(key)
            if name:
                yield name, item
    else:
        yield cv.field, value


# ----------------------------------------------------------------------------- DAG307, DAG308

_COMPONENT_FILES = ("defs.yaml", "component.yaml")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})
_yaml_components: dict[Path, bool] = {}


def _has_yaml_components(directory: Path) -> bool:
    """Whether a defs folder under `directory` declares components in YAML, which may bind resources."""
    if directory not in _yaml_components:
        found = False
        try:
            for _, dirnames, filenames in os.walk(directory):
                dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in _SKIPPED_DIRS]
                if any(name in filenames for name in _COMPONENT_FILES):
                    found = True
                    break
        except OSError:
            found = True
        _yaml_components[directory] = found
    return _yaml_components[directory]


@dataclass
class _Location:
    """What the `Definitions` of one code location bind: keys, and where they are provided."""

    root: Path
    keys: dict[str, tuple[Entry, int]]  # key -> (entry, line) of the first provider
    definitions: list[tuple[Entry, int]]  # where `Definitions(...)` are
    others: list[tuple[Entry, int]]  # `resource_defs=`, `with_resources(...)`
    opaque: str | None  # why the keys cannot all be read
    ops_used: set[str]  # names called in job and graph bodies

    @property
    def providers(self) -> list[tuple[Entry, int]]:
        return self.definitions + self.others


def _location(project: ProjectIndex, entry: Entry) -> _Location | None:
    """The code location `entry` belongs to: the outermost directory above it (up to the
    project root) with a production module that builds `Definitions`; None when there is none.

    All providers under that directory count, so that a location whose resources live in a
    `defs/resources.py` next to the assets, or several lessons sharing one root, are read whole.
    """
    marked = {e.path.parent for e in project.production() if e.summary.defines_definitions}
    root = None
    for directory in entry.path.parents:
        if directory in marked:
            root = directory
        if directory == project.root:
            break
    if root is None:
        return None
    location = _Location(root, {}, [], [], None, set())
    for e in sorted(project.production(), key=lambda e: str(e.path)):
        if root not in e.path.parents:
            continue
        facts = e.summary.facts.get("resources") or {}
        location.ops_used.update(facts.get("ops_used", []))
        for opaque in facts.get("opaque", []):
            location.opaque = location.opaque or f"{opaque['reason']} ({project.where(e, opaque['line'])})"
        for provided in facts.get("provides", []):
            at = (e, provided["line"])
            (location.definitions if provided["via"].startswith("`Definitions") else location.others).append(at)
            keys = dict(provided["keys"])
            for qualname in provided.get("imports", []):
                found, reason = _imported_mapping(project, e, qualname)
                keys.update(found)
                if reason is not None:
                    location.opaque = location.opaque or f"{reason} ({project.where(e, provided['line'])})"
            for key in keys:
                location.keys.setdefault(key, (e, provided["line"]))
    if location.opaque is None and _has_yaml_components(root):
        location.opaque = "components declared in YAML"
    return location


def _imported_mapping(
    project: ProjectIndex, importer: Entry, qualname: str, depth: int = 0
) -> tuple[dict[str, str | None], str | None]:
    """The keys of a resource mapping another module of the project defines, and why some
    cannot be read (None when all can)."""
    module, _, name = qualname.rpartition(".")
    target = project.module(importer, module) if module and depth < 4 else None
    if target is None:
        return {}, f"`{qualname}` is not a module-level mapping of this project"
    mapping = ((target.summary.facts.get("resources") or {}).get("mappings") or {}).get(name)
    if mapping is None:
        return {}, f"`{qualname}` is not a module-level mapping of this project"
    if "reason" in mapping:
        return {}, mapping["reason"]
    keys = dict(mapping["keys"])
    for nested in mapping["imports"]:
        found, reason = _imported_mapping(project, target, nested, depth + 1)
        keys.update(found)
        if reason is not None:
            return keys, reason
    return keys, None


def _project_entry(model: ModuleModel) -> tuple[ProjectIndex, Entry] | tuple[None, None]:
    project = model.project
    if not isinstance(project, ProjectIndex):
        return None, None
    entry = project.entry_of(model)
    return (project, entry) if entry is not None else (None, None)


_VIA = {
    "parameter": "parameter `{key}`",
    "required_resource_keys": '`required_resource_keys` entry `"{key}"`',
    "context.resources": "`context.resources.{key}`",
    "io_manager_key": '`io_manager_key="{key}"`',
}


@rule(
    "DAG307",
    "resource-missing",
    "E",
    "{kind} `{owner}` requires resource `{key}` ({via}), but no `Definitions` of this code location "
    "provides it ({where}): {consequence}; add `\"{key}\": ...` to `resources=`",
    mode="P",
)
def resource_missing(model: ModuleModel):
    """Resource key required by a definition that the code location's `Definitions` does not provide.

    ## What it does
    Collects the resource keys that assets, multi-assets, ops, asset checks, sensors and
    schedules require (parameters typed with a resource class, `required_resource_keys={...}`,
    `io_manager_key=` on the decorator or its `AssetOut`/`Out`, `context.resources.<key>`) and
    the keys the same code location binds (`Definitions(resources={...})`, `resource_defs={...}`,
    `with_resources(...)`, with module constants, `**spreads`, `dict(...)` and mappings imported
    from other modules of the project resolved), and reports each required key that is not
    bound, at the parameter or keyword that requires it, naming the `Definitions` it looked at.
    `io_manager` is always bound. An op counts only when a job or graph calls it.

    The code location of a file is the outermost directory above it (up to the project root)
    with a module that builds `Definitions`; every module below that directory counts, test
    modules excepted. The rule stays silent for the whole location when one of its providers
    takes a mapping it cannot read (`resources=get_resources()`, `resources=by_env[env]`, a
    name it cannot resolve), uses `Definitions.merge`, `@repository` or components declared in
    YAML (`defs.yaml`), and for files that belong to no location. Runtime mode (`--runtime`)
    checks the loaded `Definitions` and is the complete check.

    ## Why is this bad?
    Dagster refuses to load a code location whose assets or ops require a key that is not
    bound ("resource with key 'warehouse' required by op 'orders' was not provided"). A sensor
    or schedule loads fine and fails at every tick instead, which nobody notices until the
    runs it should have launched are missing.

    ## Example
    ```python
    @dg.asset
    def orders(warehouse: WarehouseResource): ...

    defs = dg.Definitions(assets=[orders], resources={"wh": WarehouseResource()})
    ```

    ## Use instead
    ```python
    defs = dg.Definitions(assets=[orders], resources={"warehouse": WarehouseResource()})
    ```
    """
    project, entry = _project_entry(model)
    if entry is None or entry.summary.is_test:
        return
    required = (entry.summary.facts.get("resources") or {}).get("requires", [])
    if not required:
        return
    # The same for every file of a directory: computed once per directory and index.
    location = project.memo(("DAG307 location", entry.path.parent), lambda: _location(project, entry))
    if location is None or location.opaque is not None or not location.providers:
        return
    classes = project.resource_classes
    reported: set[tuple[str, str]] = set()
    for req in required:
        if not (req["typed"] or req["annotation"] in classes):
            continue
        key = req["key"]
        if key in location.keys or key in DEFAULT_KEYS or (req["owner"], key) in reported:
            continue
        if req["kind"] == "op" and req["owner"] not in location.ops_used:
            continue  # no job runs it: nothing loads its requirements
        reported.add((req["owner"], key))
        # `Definitions` first: that is where a reader adds the key.
        shown = location.providers[:2]
        where = ", ".join(project.where(e, line) for e, line in shown)
        if len(location.providers) > len(shown):
            where += f" and {len(location.providers) - len(shown)} more"
        if req["kind"] in ("sensor", "schedule"):
            consequence = f"the {req['kind']} loads, then fails at every tick"
        elif req["via"] == "context.resources":
            consequence = "the step fails when it reads it"
        else:
            consequence = "Dagster refuses to load the code location"
        yield Violation(
            line=req["line"],
            col=req["col"],
            kind=KIND_LABELS.get(req["kind"], req["kind"]),
            owner=req["owner"],
            key=key,
            via=_VIA[req["via"]].format(key=key),
            where=where,
            consequence=consequence,
        )


_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _snake_names(class_name: str) -> set[str]:
    """`WarehouseResource` -> {"warehouse_resource"}; `DuckDBResource` -> {"duck_db_resource", "duckdb_resource"}."""
    names = {_SNAKE.sub("_", class_name).lower()}
    names.add(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", class_name).lower())
    return {n for n in names if n.isidentifier()}


@dataclass
class _Provided:
    key: str
    source: str  # where the key comes from, in words
    cls: str | None  # the class of the bound value, when visible


def _provided_here(model: ModuleModel) -> dict[str, _Provided]:
    """Resource keys the module binds itself, and snake-cased names of its resource classes."""
    provides, _ = model.shared(providers)  # several rules ask; the lists are not changed
    out: dict[str, _Provided] = {}
    for provided in provides:
        for key, cls in provided["keys"].items():
            out.setdefault(key, _Provided(key, f"bound on line {provided['line']}", cls))
    for name, info in model.classes.items():
        if info.kind == "resource":
            for snake in _snake_names(name):
                out.setdefault(snake, _Provided(snake, f"the snake-cased name of `{name}`", name))
    return out


def _provided_elsewhere(project: ProjectIndex, me: Entry) -> dict[str, _Provided]:
    out: dict[str, _Provided] = {}
    for entry, key, found in project.memo("DAG308 provided", lambda: _provided_anywhere(project)):
        if entry is not me:
            out.setdefault(key, found)
    return out


def _provided_anywhere(project: ProjectIndex) -> list[tuple[Entry, str, _Provided]]:
    out = []
    for entry, facts in project.facts("resources"):
        for provided in facts.get("provides", []):
            keys = dict(provided["keys"])
            for qualname in provided.get("imports", []):
                keys.update(_imported_mapping(project, entry, qualname)[0])
            for key, cls in keys.items():
                out.append((entry, key, _Provided(key, f"bound at {project.where(entry, provided['line'])}", cls)))
    return out


@rule(
    "DAG308",
    "resource-parameter-unannotated",
    "E",
    "parameter `{param}` of {kind} `{owner}` has no type annotation, so Dagster {loads} instead of "
    "injecting resource `{param}` ({where}); {fix}",
    mode="S,P",
)
def resource_parameter_unannotated(model: ModuleModel):
    """Asset or op parameter named like a resource but without a resource annotation.

    ## What it does
    Reports a parameter of an `@asset`, `@multi_asset`, `@op` or `@asset_check` that has no
    type annotation and whose name is a resource key the project binds:

    - a key of `Definitions(resources={...})`, `resource_defs={...}` or `with_resources(...)`
      in the same module, or in any other module of the project (through the project index);
    - the snake-cased name of a `ConfigurableResource` subclass defined in the module
      (`WarehouseResource` -> `warehouse_resource`).

    Quiet when an asset with that key exists (in the module, or anywhere in the project),
    when the parameter is declared in `ins={...}`, for `context` and `config`, for annotated
    parameters, and in test modules. A key found only in other modules is not used when an
    asset whose key cannot be read from source (a factory, `@dbt_assets`, components) might
    have that name. Runtime mode (`--runtime`) checks the loaded `Definitions` instead.

    ## Why is this bad?
    Dagster injects a resource only into a parameter annotated with its class (or
    `dg.ResourceParam[...]`). An unannotated parameter is an input: for an asset, a dependency
    on an upstream asset of that name, so the code location fails to load ("Input asset
    `["warehouse"]` is not produced by any of the provided asset ops"); for an op, an input
    that nothing feeds, so every launch of its job asks for run config for it and fails.

    ## Example
    ```python
    @dg.asset
    def orders(warehouse):
        return warehouse.query("select * from orders")

    defs = dg.Definitions(assets=[orders], resources={"warehouse": WarehouseResource()})
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(warehouse: WarehouseResource):
        return warehouse.query("select * from orders")
    ```
    """
    if model.is_test_module:
        return
    candidates = [
        d for d in compute_bodies(model) if d.kind != "observable_source_asset"
    ]
    if not candidates:
        return
    provided = _provided_here(model)
    project, entry = _project_entry(model)
    if entry is not None:
        for key, found in _provided_elsewhere(project, entry).items():
            if project.might_produce((key,)) is None:  # else an asset nobody can read may have that key
                provided.setdefault(key, found)
    if not any(
        param.annotation is None and param.arg in provided
        for d in candidates for param in (*d.node.args.posonlyargs, *d.node.args.args)
    ):
        return  # no unannotated parameter has a resource's name
    asset_keys = {p.key for p in (entry.summary.produced if entry is not None else analyse(model).produced)}
    known = project.known_keys() if entry is not None else {}
    fed = set(ops_used(model)[1])
    if entry is not None:
        fed.update(project.memo("DAG308 fed", lambda: {
            name for _, facts in project.facts("resources") for name in facts.get("ops_fed", [])}))
    for d in candidates:
        if d.kind == "op" and d.name in fed:
            continue  # a job passes it another op's output: its parameters are wired inputs
        ins = d.kwarg("ins")
        explicit = {literal_str(k) for k in ins.keys} if isinstance(ins, ast.Dict) else set()
        context = context_param(model, d)
        for param in [*d.node.args.posonlyargs, *d.node.args.args]:
            name = param.arg
            if (
                param is context
                or param.annotation is not None
                or name == "config"
                or name in explicit
                or name not in provided
                or (name,) in asset_keys
                or (name,) in known
            ):
                continue
            found = provided[name]
            if d.kind == "op":
                loads = f"expects an input `{name}` from an upstream op"
            else:
                loads = f"treats it as the upstream asset `{name}`"
            if found.cls and found.cls[:1].isupper():
                fix = f"annotate it: `{name}: {found.cls}`"
            else:
                fix = f"annotate it with the resource's class (`{name}: MyResource`) or `dg.ResourceParam[...]`"
            yield Violation(param, param=name, kind=label(d), owner=d.name, loads=loads, where=found.source, fix=fix)
