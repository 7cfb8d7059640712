"""DAG5xx: data quality, types and tests."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from dagster_lint.model import Definition, ModuleModel, call_kwargs, literal_str, unquote_annotation
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import (
    at_def,
    compute_bodies,
    is_not_shadowed_builtin,
    is_resource_annotation,
    label,
    walk_no_nested_functions,
)

_BOOL_BUILTINS = ("bool", "all", "any", "isinstance", "issubclass", "callable", "hasattr")


def _is_boolean(d: Definition, expr: ast.expr) -> bool:
    """Whether `expr` evaluates to a plain bool (on at least one path, for `and`/`or`)."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, bool)
    if isinstance(expr, ast.Compare):
        return True
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return True
    if isinstance(expr, ast.BoolOp):
        # `a and b` evaluates to one of its operands: a bool operand can be the value.
        return any(_is_boolean(d, v) for v in expr.values)
    if isinstance(expr, ast.IfExp):
        return _is_boolean(d, expr.body) and _is_boolean(d, expr.orelse)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in _BOOL_BUILTINS:
        return is_not_shadowed_builtin(d, expr.func.id)
    return False


def _is_none(expr: ast.expr | None) -> bool:
    return expr is None or (isinstance(expr, ast.Constant) and expr.value is None)


@rule(
    "DAG502",
    "check-returns-no-result",
    "E",
    "asset check `{name}` {why}, so Dagster records no result for it and the step still succeeds; {fix}",
)
def check_returns_no_result(model):
    """Asset check whose body does not produce an `AssetCheckResult`.

    ## What it does
    Reports an `@asset_check` or `@multi_asset_check` function that returns nothing, or
    returns a bool (`return len(df) > 0`, `return True`), on every path or on some paths,
    instead of returning or yielding `dg.AssetCheckResult`.

    It stays quiet for generators (a multi-asset check yields its results), for values it
    cannot see through (a helper's result, a variable), for bodies that end by raising, and
    for stubs.

    ## Why is this bad?
    Dagster only records a check evaluation for an `AssetCheckResult`. For a bool or `None`
    the step succeeds, no evaluation is stored, and the check never shows passed or failed:
    the data problem it was written for goes unnoticed, and a blocking check blocks nothing.

    ## Example
    ```python
    @dg.asset_check(asset=orders)
    def orders_not_empty(orders):
        return len(orders) > 0
    ```

    ## Use instead
    ```python
    @dg.asset_check(asset=orders)
    def orders_not_empty(orders):
        return dg.AssetCheckResult(passed=len(orders) > 0, metadata={"rows": len(orders)})
    ```
    """
    for d in model.of_kind("asset_check"):
        if d.is_stub:
            continue
        values: list[ast.expr] = []
        empty_returns = 0
        yields = False
        for node in walk_no_nested_functions(d.node.body):
            if isinstance(node, ast.Return):
                if _is_none(node.value):
                    empty_returns += 1
                else:
                    values.append(node.value)
            elif isinstance(node, (ast.Yield, ast.YieldFrom)):
                yields = True
        if yields:
            continue
        if d.decorator == "dagster.multi_asset_check":
            fix = "yield a `dg.AssetCheckResult(check_name=..., passed=...)` for each check"
        else:
            fix = "return `dg.AssetCheckResult(passed=...)` instead"
        booleans = [v for v in values if _is_boolean(d, v)]
        if not values:
            if empty_returns or not isinstance(d.node.body[-1], ast.Raise):
                yield at_def(d, name=d.name, why="returns nothing", fix=fix)
        elif len(booleans) == len(values):
            yield at_def(d, name=d.name, why="returns a bool", fix=fix)
        elif booleans:
            yield at_def(d, name=d.name, why="returns a bool on some paths", fix=fix)
        elif empty_returns:
            yield at_def(d, name=d.name, why="returns `None` on some paths", fix=fix)


# ----------------------------------------------------------------------------- DAG503

# What an asset body may yield or return besides check results: none of them can carry one,
# except `MaterializeResult(check_results=[...])`, which is read separately.
_KNOWN_EVENTS = frozenset(
    {
        "dagster.Output",
        "dagster.DynamicOutput",
        "dagster.MaterializeResult",
        "dagster.AssetMaterialization",
        "dagster.AssetObservation",
        "dagster.ExpectationResult",
        "dagster.AssetCheckResult",
    }
)
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _keyword(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and position < len(call.args):
        if not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return call.args[position]
    return None


def _string(model: ModuleModel, node: ast.expr | None) -> str | None:
    """A string literal, or a module-level constant bound to one (`CHECK_NAME = "has_rows"`)."""
    text = literal_str(node)
    if text is None and isinstance(node, ast.Name):
        text = literal_str(model.constants.get(node.id))
    return text


def _declared_checks(d: Definition) -> list[tuple[str, ast.AST]] | None:
    """(name, node to report) of each `AssetCheckSpec` in a literal `check_specs=`, or None."""
    model = d.module
    specs = d.kwarg("check_specs")
    if specs is None:
        return None
    where: ast.expr | None = None
    if isinstance(specs, ast.Name) and specs.id not in model.imports:
        where = specs
        specs = model.constants.get(specs.id)
    if not isinstance(specs, (ast.List, ast.Tuple)) or not specs.elts:
        return None
    declared = []
    for spec in specs.elts:
        if not (isinstance(spec, ast.Call) and model.qualname(spec.func) == "dagster.AssetCheckSpec"):
            return None
        if any(kw.arg is None for kw in spec.keywords):
            return None
        name = _string(model, _keyword(spec, "name", 0))
        if name is None:
            return None
        declared.append((name, where or spec))
    return declared


@dataclass
class _CheckResults:
    names: set[str]  # check names of the results the body builds
    all: bool = False  # a result whose name cannot be read: it may be any of the declared checks
    opaque: bool = False  # something else may carry results (a helper's value, `yield from`)


def _in_loop(model: ModuleModel, node: ast.AST, stop: ast.AST) -> bool:
    for parent in model.ancestors(node):
        if parent is stop:
            return False
        if isinstance(parent, _LOOPS):
            return True
    return False


def _carries_results(
    d: Definition, value: ast.expr | None, assigned: dict[str, list[ast.expr]], depth: int = 0
) -> bool:
    """Whether a yielded or returned value may hold check results this rule cannot read."""
    model = d.module
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return False
    if isinstance(value, ast.Tuple):
        return any(_carries_results(d, e, assigned, depth) for e in value.elts)
    if isinstance(value, ast.Name) and depth < 3 and value.id in assigned:
        return any(_carries_results(d, v, assigned, depth + 1) for v in assigned[value.id])
    if isinstance(value, ast.Call):
        name = model.qualname(value.func, d)
        if name == "dagster.MaterializeResult":
            results = _keyword(value, "check_results")
            if results is None:
                return False
            if not isinstance(results, (ast.List, ast.Tuple)):
                return True
            return any(
                not (isinstance(e, ast.Call) and model.qualname(e.func, d) == "dagster.AssetCheckResult")
                for e in results.elts
            )
        return name not in _KNOWN_EVENTS
    return True


def _check_results(d: Definition, single: bool) -> _CheckResults:
    model = d.module
    found = _CheckResults(names=set())
    assigned: dict[str, list[ast.expr]] = {}
    for node in walk_no_nested_functions(d.node.body):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
                else:
                    for n in ast.walk(target):
                        if isinstance(n, ast.Name):
                            assigned.setdefault(n.id, []).append(node)  # type: ignore[arg-type]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name):
            assigned.setdefault(node.target.id, []).append(node)  # type: ignore[arg-type]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) else [
                i.optional_vars for i in node.items if i.optional_vars is not None
            ]
            for target in targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        assigned.setdefault(n.id, []).append(node)  # type: ignore[arg-type]
    for node in walk_no_nested_functions(d.node.body):
        if isinstance(node, ast.YieldFrom):
            found.opaque = True
        elif isinstance(node, (ast.Yield, ast.Return)) and _carries_results(d, node.value, assigned):
            found.opaque = True
    # Results may be built anywhere in the body, nested helpers included, and handed over later.
    for node in d.body_nodes:
        if not (isinstance(node, ast.Call) and model.qualname(node.func, d) == "dagster.AssetCheckResult"):
            continue
        if any(kw.arg is None for kw in node.keywords):
            found.all = True
            continue
        name_node = _keyword(node, "check_name")
        name = _string(model, name_node)
        if name_node is None:
            # Without `check_name=`, Dagster matches the only check of the asset.
            found.all = found.all or not single
            if single:
                found.names.add("")
        elif name is None or _in_loop(model, node, d.node):
            found.all = True
        else:
            found.names.add(name)
    return found


def _selects_checks(d: Definition) -> bool:
    can_subset = d.kwarg("can_subset")
    if can_subset is not None and not (isinstance(can_subset, ast.Constant) and can_subset.value is False):
        return True
    return any(isinstance(n, ast.Attribute) and "selected_asset_check" in n.attr for n in d.body_nodes)


def _wrapped(d: Definition) -> bool:
    """A decorator below the Dagster one replaces the function whose body is read."""
    decorators = d.node.decorator_list
    return decorators.index(d.decorator_node) < len(decorators) - 1


@rule(
    "DAG503",
    "declared-check-not-yielded",
    "E",
    "{kind} `{name}` declares check `{check}` in `check_specs=` but never yields an `AssetCheckResult` for it, "
    "so the step fails after computing; {fix}",
)
def declared_check_not_yielded(model: ModuleModel):
    """Asset that declares a check in `check_specs=` and never produces its result.

    ## What it does
    Checks an `@asset` or `@multi_asset` whose `check_specs=` is a literal list of
    `dg.AssetCheckSpec`s (or a module constant bound to one) against the
    `dg.AssetCheckResult`s its body builds, yielded or passed in
    `dg.MaterializeResult(check_results=[...])`, matched by `check_name=`. It reports each
    declared check that no result names.

    A result without `check_name=` covers the asset's only check. It stays quiet when a
    result's name is computed (a variable, an f-string) or built in a loop or comprehension,
    when the body yields or returns something that may carry results it cannot read
    (`yield from helper()`, a helper's return value, a variable), for `can_subset=True` and
    bodies that read `context.selected_asset_check_keys`, when another decorator wraps the
    function, and for stubs.

    ## Why is this bad?
    Each check spec adds a required output to the asset's step. When the body ends without a
    result for it, Dagster fails the step (`did not return an output for non-optional
    output`) after all the work is done, and the check shows no evaluation.

    ## Example
    ```python
    @dg.asset(
        check_specs=[
            dg.AssetCheckSpec("has_rows", asset="orders"),
            dg.AssetCheckSpec("ids_unique", asset="orders"),
        ]
    )
    def orders():
        df = load_orders()
        yield dg.Output(df)
        yield dg.AssetCheckResult(check_name="has_rows", passed=len(df) > 0)
    ```

    ## Use instead
    ```python
    @dg.asset(
        check_specs=[
            dg.AssetCheckSpec("has_rows", asset="orders"),
            dg.AssetCheckSpec("ids_unique", asset="orders"),
        ]
    )
    def orders():
        df = load_orders()
        yield dg.Output(df)
        yield dg.AssetCheckResult(check_name="has_rows", passed=len(df) > 0)
        yield dg.AssetCheckResult(check_name="ids_unique", passed=bool(df["id"].is_unique))
    ```
    """
    for d in model.of_kind("asset", "multi_asset"):
        if d.is_stub or _wrapped(d) or _selects_checks(d):
            continue
        declared = _declared_checks(d)
        if declared is None:
            continue
        found = _check_results(d, single=len(declared) == 1)
        if found.all or found.opaque:
            continue
        generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in walk_no_nested_functions(d.node.body))
        for name, node in declared:
            if name in found.names or (len(declared) == 1 and "" in found.names):
                continue
            result = f'dg.AssetCheckResult(check_name="{name}", passed=...)'
            if generator:
                fix = f"yield `{result}`"
            else:
                fix = f"return `dg.MaterializeResult(check_results=[{result}])`"
            yield Violation(node, kind=label(d), name=d.name, check=name, fix=f"{fix}, or remove the spec")


# ----------------------------------------------------------------------------- DAG504

_NARROWING_BUILTINS = ("isinstance", "issubclass", "callable", "hasattr")


def _is_narrowing(d: Definition, test: ast.expr) -> bool:
    """An assert that tells a type checker what a value is rather than checking the data.

    `assert isinstance(x, T)`, `assert x is not None`, `assert x` on a plain name or dotted
    attribute (not an `is_*`/`has_*` property), `assert False` (unreachable code), and `and`
    of those.
    """
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(_is_narrowing(d, v) for v in test.values)
    if isinstance(test, ast.Constant):
        return True
    if isinstance(test, ast.Name):
        return True
    if isinstance(test, ast.Attribute):
        # `assert self.client` narrows; `assert df.index.is_unique` reads a property of the data.
        inner: ast.expr = test
        while isinstance(inner, ast.Attribute):
            inner = inner.value
        return isinstance(inner, ast.Name) and not test.attr.startswith(("is_", "has_"))
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id in _NARROWING_BUILTINS:
        return is_not_shadowed_builtin(d, test.func.id)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        return isinstance(test.ops[0], ast.IsNot) and isinstance(right, ast.Constant) and right.value is None
    return False


def _root(expr: ast.expr) -> tuple[str | None, list[str]]:
    """`context.resources.db.query` -> ("context", ["resources", "db", "query"])."""
    path: list[str] = []
    while isinstance(expr, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(expr, ast.Attribute):
            path.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            expr = expr.func
        else:
            expr = expr.value
    return (expr.id if isinstance(expr, ast.Name) else None), path[::-1]


@dataclass
class _StepNames:
    """Names in a body that do not hold the data it computes."""

    quiet: set[str]  # the context, config, module-level names and what is read from them
    resources: set[str]  # resource parameters: reading one is not data, what its methods return is

    def reads_data(self, expr: ast.expr) -> bool:
        for node in ast.walk(expr):
            if isinstance(node, ast.Name) and node.id not in self.quiet and node.id not in self.resources:
                return True
            if isinstance(node, ast.Call):
                root, path = _root(node.func)
                if root in self.resources or (root in self.quiet and "resources" in path):
                    return True
        return False


def _step_names(d: Definition) -> _StepNames:
    model = d.module
    quiet = {"self", "cls"}
    resources: set[str] = set()
    if d.context_param is not None:
        quiet.add(d.context_param.arg)
    for param in d.params:
        annotation = param.annotation
        if is_resource_annotation(model, annotation):
            resources.add(param.arg)
        elif param.arg in ("config", "context"):
            quiet.add(param.arg)
        elif isinstance(annotation, ast.Name) and annotation.id in model.classes:
            if model.classes[annotation.id].kind == "config":
                quiet.add(param.arg)
        elif annotation is not None:
            qualname = model.qualname(annotation) or ""
            if qualname.startswith("dagster.") and qualname.rsplit(".", 1)[-1].endswith(("Context", "Config")):
                quiet.add(param.arg)
    step = set(quiet)
    params = {p.arg for p in d.params}
    local = d.local_names
    # Imports, constants, module functions, builtins.
    quiet.update(n for n in (*model.imports, *model.toplevel_names) if n not in local)
    quiet.update(n for n in d.loaded_names if n not in local and n not in params)
    names = _StepNames(quiet=quiet, resources=resources)
    # `key = context.partition_key` holds as little data as the context; `rows = load()` does not.
    assigns = [n for n in walk_no_nested_functions(d.node.body) if isinstance(n, ast.Assign)]
    for node in sorted(assigns, key=lambda n: (n.lineno, n.col_offset)):
        if not all(isinstance(t, ast.Name) for t in node.targets):
            continue
        read = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        calls = [n for n in ast.walk(node.value) if isinstance(n, ast.Call)]
        from_step = all(
            _root(c.func)[0] in step or (isinstance(c.func, ast.Name) and is_not_shadowed_builtin(d, c.func.id))
            for c in calls
        )
        if read & step and not names.reads_data(node.value) and from_step:
            quiet.update(t.id for t in node.targets)  # type: ignore[union-attr]
            step.update(t.id for t in node.targets)  # type: ignore[union-attr]
    return names


def _shown(model: ModuleModel, node: ast.AST, limit: int = 60) -> str:
    text = " ".join(model.segment(node).split()).replace("( ", "(").replace(" )", ")")
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@rule(
    "DAG504",
    "assert-as-data-check",
    "W",
    "`{statement}` in {kind} `{name}` checks the data with `assert`, which `python -O` removes and the "
    "Dagster UI shows only as a crash; {fix}",
)
def assert_as_data_check(model: ModuleModel):
    """`assert` used to validate data in an asset, op or asset check.

    ## What it does
    Reports an `assert` statement in the body of an `@asset`, `@multi_asset`, `@op`,
    `@asset_check` or `@observable_source_asset` (nested helper functions included).

    It stays quiet for asserts that narrow types for a type checker rather than check data
    (`assert isinstance(x, T)`, `assert x is not None`, `assert self.client` on a plain name
    or dotted attribute other than an `is_*`/`has_*` property, and `and` of those), for
    `assert False` on unreachable code, for asserts that only read the context, the config,
    a resource's attributes, constants, or names computed from those alone
    (`key = context.partition_key; assert key in REGIONS`, `assert config.start < config.end`),
    and in test modules. What a resource's methods return is data.

    Asserts in an `@asset_check` are reported too: the check errors instead of recording a
    failed evaluation, and under `-O` it passes without having checked anything.

    ## Why is this bad?
    `python -O` (and `PYTHONOPTIMIZE`) strips `assert` statements, so the check silently
    disappears in deployments that set it. When it does run, a failing assert is an
    `AssertionError` crash of the step: the Dagster UI shows no check, no metadata about what
    was wrong and no history of past evaluations, and the data problem looks like a bug.

    ## Example
    ```python
    @dg.asset
    def orders():
        df = load_orders()
        assert df["id"].is_unique, "duplicate order ids"
        return df
    ```

    ## Use instead
    ```python
    @dg.asset(check_specs=[dg.AssetCheckSpec("ids_unique", asset="orders")])
    def orders():
        df = load_orders()
        yield dg.Output(df)
        yield dg.AssetCheckResult(check_name="ids_unique", passed=bool(df["id"].is_unique))
    ```

    or, to stop the run, `raise dg.Failure(description="duplicate order ids", metadata=...)`.
    """
    if model.is_test_module:
        return
    for d in compute_bodies(model):
        step_names: _StepNames | None = None
        for node in d.body_nodes:
            if not isinstance(node, ast.Assert) or _is_narrowing(d, node.test):
                continue
            if step_names is None:
                step_names = _step_names(d)
            if not step_names.reads_data(node.test):
                continue
            if d.kind == "asset_check":
                fix = "return `dg.AssetCheckResult(passed=..., metadata=...)` instead"
            else:
                fix = "raise `dg.Failure(description=..., metadata=...)` or move the condition into an asset check"
            yield Violation(node, statement="assert " + _shown(model, node.test), kind=label(d), name=d.name, fix=fix)


# ----------------------------------------------------------------------------- DAG506

# Returned values that are not the asset's value: Dagster unwraps or records them.
_RESULT_TYPES = frozenset(
    {
        "dagster.Output",
        "dagster.MaterializeResult",
        "dagster.ObserveResult",
        "dagster.AssetMaterialization",
        "dagster.AssetCheckResult",
        "dagster.DataVersion",
    }
)
# pandas/polars functions that return a data frame.
_FRAME_FUNCTIONS = ("read_", "DataFrame", "concat", "merge", "json_normalize", "from_dict")
# Builtins whose call returns a known type.
_BUILTIN_TYPES = {
    **{t: t for t in ("bool", "int", "float", "str", "bytes", "dict", "list", "set", "tuple")},
    "len": "int",
    "sorted": "list",
}


def _returned_type(
    d: Definition, value: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 0
) -> str | None:
    """A type to suggest for a returned value, when it is evident."""
    model = d.module
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(value, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(value, ast.JoinedStr):
        return "str"
    if isinstance(value, ast.Constant) and type(value.value) in (str, int, float, bool, bytes):
        return type(value.value).__name__
    if isinstance(value, ast.Compare) or (isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)):
        return "bool"
    if isinstance(value, ast.Name) and depth < 3 and value.id in assigned:
        types = {_returned_type(d, v, assigned, depth + 1) for v in assigned[value.id]}
        return types.pop() if len(types) == 1 else None
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name) and func.id in _BUILTIN_TYPES and is_not_shadowed_builtin(d, func.id):
            return _BUILTIN_TYPES[func.id]
        if isinstance(func, ast.Name) and func.id not in d.local_names:
            # A helper of this file that declares what it returns.
            shown = {ast.unparse(f.returns) for f in model.functions if f.name == func.id and f.returns is not None}
            if len(shown) == 1 and shown != {"Any"} and len([f for f in model.functions if f.name == func.id]) == 1:
                return shown.pop()
        name = model.qualname(func, d) or ""
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        last = name.rsplit(".", 1)[-1]
        if isinstance(root, ast.Name) and name.startswith(("pandas.", "polars.")) and name.count(".") == 1:
            if last.startswith(_FRAME_FUNCTIONS):
                return f"{root.id}.DataFrame"
    return None


def _helper_returns_result(model: ModuleModel, name: str) -> bool:
    """`return _run_upsert(context, df)` where every function of this file named `_run_upsert`
    returns a Dagster result (by its annotation, or by what each of its `return`s builds)."""
    helpers = [f for f in model.functions if f.name == name]
    if not helpers:
        return False
    for helper in helpers:
        annotation = unquote_annotation(helper.returns)
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        if annotation is not None and model.qualname(annotation) not in ("typing.Any", "typing_extensions.Any"):
            if model.qualname(annotation) not in _RESULT_TYPES:
                return False
            continue
        values = [n.value for n in walk_no_nested_functions(helper.body) if isinstance(n, ast.Return)]
        if not values or not all(
            isinstance(v, ast.Call) and model.qualname(v.func) in _RESULT_TYPES for v in values
        ):
            return False
    return True


def _forwards_factory_callable(
    d: Definition, value: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 0
) -> bool:
    """`return wrapped_compute(context, **kwargs)`: the asset hands on what a function it was given
    returns (a factory's argument, a callable loaded from configuration). The value has the
    wrapped function's type, which the wrapper cannot name."""
    if isinstance(value, ast.Name) and value.id in assigned and depth < 3:
        return all(_forwards_factory_callable(d, v, assigned, depth + 1) for v in assigned[value.id])
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return False
    name = value.func.id
    model = d.module
    if any(f.name == name for f in model.functions) or name in model.imports or name in model.toplevel_names:
        return False  # a function this file or an import defines: its type can be known
    return name in d.local_names or not hasattr(builtins, name)


def _is_result(d: Definition, value: ast.expr, assigned: dict[str, list[ast.expr]]) -> bool:
    """A value Dagster records itself (`MaterializeResult`, `Output`, ...), directly, through a
    local assigned one, or from a same-file helper that returns one."""
    model = d.module
    if isinstance(value, ast.Name):
        return any(_is_result(d, v, assigned) for v in assigned.get(value.id, ()) if not isinstance(v, ast.Name))
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Name) and _helper_returns_result(model, value.func.id):
        return True
    return model.qualname(value.func, d) in _RESULT_TYPES


@rule(
    "DAG506",
    "asset-return-unannotated",
    "C",
    "asset `{name}` returns a value but has no return annotation; {fix} so that type checkers "
    "and Dagster's output type check know what it produces",
    default=False,
)
def asset_return_unannotated(model: ModuleModel):
    """Asset that returns a value without a return annotation.

    ## What it does
    Reports an `@asset` function without a return annotation whose body returns a value
    (a `return` with anything but `None`).

    It stays quiet for assets that return `dg.MaterializeResult`, `dg.Output`,
    `dg.ObserveResult` or another Dagster result (directly, through a variable assigned
    one, or from a function of the same file that returns one on every path or is annotated
    so), for wrappers that return what a function they were handed returns (a factory's
    argument, a callable loaded at run time: the wrapper cannot name its type), for
    generators, stubs, assets that declare `dagster_type=`, assets whose function another
    decorator wraps, and in test modules. The suggested annotation comes from the returned
    value when it is evident (a literal, a `pd.read_*` call, a helper's own annotation).
    `@multi_asset`s are not checked: their outputs are typed per `AssetOut`, and a tuple
    annotation is optional.

    Off by default: enable it with `select` or `extend-select`.

    ## Why is this bad?
    Without an annotation, neither mypy/pyright nor the readers of the asset know what it
    produces, and the functions that call it or share its helpers cannot be type-checked
    against it. Dagster also reads the annotation as the output's type: it checks the value
    against it at runtime and shows it in the UI. Unannotated, the output is `Any`, and a
    body that starts returning something else (a list instead of a data frame, `None` on
    an early exit) is stored without complaint.

    ## Example
    ```python
    @dg.asset
    def orders():
        return pd.read_parquet("s3://shop/orders.parquet")
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders() -> pd.DataFrame:
        return pd.read_parquet("s3://shop/orders.parquet")
    ```
    """
    if model.is_test_module:
        return
    for d in model.of_kind("asset"):
        if d.node.returns is not None or d.is_stub or _wrapped(d) or d.kwarg("dagster_type") is not None:
            continue
        nodes = list(walk_no_nested_functions(d.node.body))
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes):
            continue
        values = [n.value for n in nodes if isinstance(n, ast.Return) and not _is_none(n.value)]
        if not values:
            continue
        assigned: dict[str, list[ast.expr]] = {}
        for n in nodes:
            if isinstance(n, ast.Assign):
                for target in n.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(n.value)

        if any(_is_result(d, v, assigned) for v in values):
            continue
        if all(_forwards_factory_callable(d, v, assigned) for v in values):
            continue
        suggestions = {_returned_type(d, v, assigned) for v in values}
        if len(suggestions) == 1 and None not in suggestions:
            fix = f"annotate it `-> {suggestions.pop()}`"
        else:
            fix = "annotate the type it returns (`-> ...`)"
        yield at_def(d, name=d.name, fix=fix)


# ----------------------------------------------------------------------------- DAG508

# Calls that run assets or jobs and return a result, with the `raise_on_error` they default to.
_EXECUTIONS = {
    "dagster.materialize": True,
    "dagster.materialize_to_memory": True,
    "dagster.observe": True,
    "dagster.execute_job": False,
}


def _execution(model: ModuleModel, call: ast.Call) -> str | None:
    """The displayed name of an execution call whose failures do not raise, or None."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "execute_in_process":
        shown, default = "execute_in_process(...)", True
    else:
        name = model.qualname(call.func)
        if name not in _EXECUTIONS:
            return None
        shown, default = f"{name.rsplit('.', 1)[-1]}(...)", _EXECUTIONS[name]
    if any(kw.arg is None for kw in call.keywords):
        return None  # `**kwargs` may set it
    raises = call_kwargs(call).get("raise_on_error")
    if raises is None:
        return None if default else shown
    if isinstance(raises, ast.Constant) and raises.value is False:
        return shown
    return None


def _scope(model: ModuleModel, node: ast.AST) -> ast.AST:
    for parent in model.ancestors(node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return parent
    return model.tree


def _checks_after(model: ModuleModel, scope: ast.AST, line: int) -> bool:
    """Whether the scope asserts anything after `line`: the test may check side effects instead."""
    for node in ast.walk(scope):
        if getattr(node, "lineno", 0) <= line:
            continue
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr.startswith(("assert", "fail")) or attr in ("raises", "approx"):
                return True
        if isinstance(node, ast.Raise):
            return True
    return False


def _discarded_into(model: ModuleModel, call: ast.Call) -> list[str] | None:
    """The names the result is bound to (empty when the result is discarded), or None when it is used."""
    parent = model.parent(call)
    if isinstance(parent, ast.Await):
        call, parent = parent, model.parent(parent)  # type: ignore[assignment]
    if isinstance(parent, ast.Expr):
        return []
    if isinstance(parent, ast.Assign) and parent.value is call:
        if all(isinstance(t, ast.Name) for t in parent.targets):
            return [t.id for t in parent.targets]  # type: ignore[union-attr]
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is call and isinstance(parent.target, ast.Name):
        return [parent.target.id]
    if isinstance(parent, ast.withitem) and parent.context_expr is call:
        target = parent.optional_vars
        if target is None:
            return []
        return [target.id] if isinstance(target, ast.Name) else None
    return None


@rule(
    "DAG508",
    "test-result-unchecked",
    "W",
    "the result of `{call}` is never checked and `raise_on_error` is off, so this test passes even when "
    "the run fails; {fix}",
)
def test_result_unchecked(model: ModuleModel):
    """Test that runs assets or a job without raising on failure and never checks the result.

    ## What it does
    In a test module (`test_*.py`, `*_test.py`, `conftest.py`, a file in a `tests/`
    directory), reports a call to `dg.materialize(...)`, `dg.materialize_to_memory(...)`,
    `dg.observe(...)` or `<job>.execute_in_process(...)` that passes `raise_on_error=False`,
    and a call to `dg.execute_job(...)` (which does not raise by default), when the result
    is discarded or bound to a name that is never read, and nothing is asserted after the
    call.

    It stays quiet with the default `raise_on_error=True` (a failed run raises, so a bare
    call is a valid smoke test), when the result is read (`assert result.success`,
    `result.run_id`, returned, passed to a helper), when the test asserts something after
    the call (a side effect, the instance's event log, a mock), and when `**kwargs` may
    set `raise_on_error`.

    ## Why is this bad?
    With `raise_on_error=False`, a failed run returns a result with `success=False` instead of
    raising. If nothing looks at it, the test passes whatever happens: it gives confidence in
    code it never checked.

    ## Example
    ```python
    def test_orders():
        dg.materialize([orders], raise_on_error=False)
    ```

    ## Use instead
    ```python
    def test_orders():
        result = dg.materialize([orders], raise_on_error=False)
        assert result.success
        assert result.output_for_node("orders").shape[0] > 0
    ```

    or drop `raise_on_error=False` so that a failed run fails the test.
    """
    if not model.is_test_module:
        return
    for call in model.all_calls:
        shown = _execution(model, call)
        if shown is None:
            continue
        names = _discarded_into(model, call)
        if names is None:
            continue
        scope = _scope(model, call)
        loaded = {
            n.id for n in ast.walk(scope) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        used = [n for n in names if n in loaded and n != "_"]
        if used or _checks_after(model, scope, call.end_lineno or call.lineno):
            continue
        if names and names != ["_"]:
            fix = f"assert on it (`assert {names[0]}.success`)"
        else:
            fix = "keep it and assert on it (`result = ...; assert result.success`)"
        if "raise_on_error" in call_kwargs(call):
            fix += ", or drop `raise_on_error=False` so that a failure raises"
        else:
            fix += ", or pass `raise_on_error=True` so that a failure raises"
        yield Violation(call, call=shown, fix=fix)
