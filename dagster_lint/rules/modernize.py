"""DAG8xx: newer Dagster APIs.

The rules here that Dagster gives a one-to-one replacement for also describe the rewrite: each
finding carries an `autofix` (a `dagster_lint.fixplan.Fix`, or None when the rewrite would not
be safe, and then the message says why). `dagster_lint.fixes` applies them with libcst for
`dagster-lint --fix`; the decision whether a rewrite is safe is made here, next to the
detection, so that the message and the fix always agree."""

from __future__ import annotations

import ast
import re

from dagster_lint.fixplan import Edit, Fix, Ref, dagster_ref, not_fixed, old_import_name
from dagster_lint.model import Definition, ModuleModel, literal_str, unquote_annotation
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import future_annotations, label

# ----------------------------------------------------------------------------- shared queries


def _keyword(d, name: str) -> ast.keyword | None:
    if d.call is None:
        return None
    return next((kw for kw in d.call.keywords if kw.arg == name), None)


def _call_keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((kw for kw in call.keywords if kw.arg == name), None)


def _has_splat(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)


def _constant_str(model: ModuleModel, expr: ast.expr) -> str | None:
    """The string `expr` certainly is: a literal, or a module constant assigned one once."""
    if literal_str(expr) is not None:
        return literal_str(expr)
    if isinstance(expr, ast.Name) and expr.id not in model.imports:
        value = model.constants.get(expr.id)
        assigned = sum(
            1 for n in model.nodes_of(ast.Name)
            if n.id == expr.id and isinstance(n.ctx, ast.Store)  # type: ignore[attr-defined]
        )
        return literal_str(value) if assigned == 1 else None
    return None


def _one_line(model: ModuleModel, node: ast.AST, limit: int = 60) -> str | None:
    text = model.segment(node)
    return text if text and "\n" not in text and len(text) <= limit else None


# ----------------------------------------------------------------------------- DAG801


@rule(
    "DAG801",
    "non-argument-deps",
    "R",
    "`non_argument_deps=` on {kind} `{name}` is deprecated (removed in Dagster 2.0); {fix}",
)
def non_argument_deps(model: ModuleModel):
    """`non_argument_deps=` instead of `deps=`.

    ## What it does
    Reports `non_argument_deps=` on `@asset` and `@multi_asset`.

    ## Why is this bad?
    Dagster hides and deprecates the parameter (removal planned for 2.0); `deps=` accepts the
    same keys, plus asset definitions and `AssetDep` objects with partition mappings.

    ## Example
    ```python
    @dg.asset(non_argument_deps={"raw_orders"})
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(deps=["raw_orders"])
    def orders(): ...
    ```

    ## Fix
    `dagster-lint --fix` renames the keyword to `deps=` and keeps the keys as they are (Dagster
    turns both into the same dependencies). Not fixed when the decorator also has `deps=` (Dagster
    rejects the pair; merge the keys by hand) or `**kwargs` (which may hold `deps`).
    """
    for d in model.of_kind("asset", "multi_asset"):
        kw = _keyword(d, "non_argument_deps")
        if kw is None:
            continue
        keys = ast.get_source_segment(model.source, kw.value) or ""
        if keys and "\n" not in keys and len(keys) <= 60:
            fix = f"write `deps={keys}` instead"
        else:
            fix = "use `deps=` with the same keys"
        autofix = None
        if _keyword(d, "deps") is not None:
            fix += not_fixed("the decorator also has `deps=`; merge the keys into it")
        elif _has_splat(d.call):
            fix += not_fixed("`**kwargs` may already hold `deps`")
        else:
            autofix = Fix((Edit("rename_keyword", kw, "deps"),))
        yield Violation(kw, kind=label(d), name=d.name, fix=fix, autofix=autofix)


# ----------------------------------------------------------------------------- DAG802


@rule(
    "DAG802",
    "compute-kind",
    "R",
    "`compute_kind=` on {kind} `{name}` is deprecated; {fix}",
)
def compute_kind(model: ModuleModel):
    """`compute_kind=` instead of `kinds=`.

    ## What it does
    Reports `compute_kind=` on `@asset` and `@multi_asset`. `@multi_asset` takes no `kinds=`:
    each `AssetOut` or `AssetSpec` carries its own. `compute_kind=` on `@asset_check` is not
    deprecated and is not reported.

    ## Why is this bad?
    Dagster deprecated `compute_kind` in favour of `kinds`, a set that shows several
    technologies (`{"python", "snowflake"}`) as badges in the UI and can be searched.
    `compute_kind` is hidden from the API docs and will be removed.

    ## Example
    ```python
    @dg.asset(compute_kind="pandas")
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(kinds={"pandas"})
    def orders(): ...
    ```

    ## Fix
    `dagster-lint --fix` rewrites `compute_kind="pandas"` to `kinds={"pandas"}` on `@asset`
    (`compute_kind=None` is removed), and on `@multi_asset` adds `kinds={"pandas"}` to each
    `AssetOut(...)` of a literal `outs={...}` or `AssetSpec(...)` of a literal `specs=[...]`. The
    UI shows the same badge; code that reads the op tag `dagster/compute_kind` finds the kind in
    the asset's `kinds` instead. Not fixed when the value may not be a string (a name imported
    from elsewhere: `kinds={None}` fails), when it is not a valid kind (`compute_kind` takes any
    string, a kind only letters, digits, `_`, `-` and `.`), when `kinds=` is already given (on
    the decorator or on an output), when the call has `**kwargs`, or when the outs or specs are
    built elsewhere.
    """
    for d in model.of_kind("asset", "multi_asset"):
        kw = _keyword(d, "compute_kind")
        if kw is None:
            continue
        value = kw.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            kinds = f'{{"{value.value}"}}'
        else:
            kinds = "{" + ast.unparse(value) + "}"
        autofix: Fix | None = None
        invalid = _invalid_kind(model, value)
        if isinstance(value, ast.Constant) and value.value is None:
            fix = "remove it"
            autofix = Fix((Edit("remove_keyword", kw),))
        elif invalid:
            fix = (f"use `kinds=` with a name Dagster accepts as a kind ({invalid})"
                   + not_fixed("the kind needs a new name"))
        elif d.kind == "multi_asset":
            fix = f"pass `kinds={kinds}` to each `AssetOut` (or `AssetSpec`) of the multi-asset instead"
            autofix, why = _multi_asset_kinds_fix(model, d, kw)
            if autofix is None:
                fix += not_fixed(why)
        else:
            fix = f"use `kinds={kinds}`, which also allows several kinds"
            if _keyword(d, "kinds") is not None:
                fix += not_fixed("the decorator also has `kinds=`; merge the value into it")
            elif _has_splat(d.call):
                fix += not_fixed("`**kwargs` may already hold `kinds`")
            elif _constant_str(model, value) is None:
                fix += not_fixed(
                    f"`{_one_line(model, value) or 'the value'}` may be None or not a valid kind, "
                    "and `kinds={None}` fails"
                )
            else:
                autofix = Fix((Edit("rename_keyword", kw, "kinds"), Edit("wrap_set", value)))
        yield Violation(kw, kind=label(d), name=d.name, fix=fix, autofix=autofix)


# Dagster's rule for a kind: the last part of the tag key `dagster/kind/<kind>`.
_KIND = re.compile(r"[A-Za-z0-9_.-]{1,63}")


def _invalid_kind(model: ModuleModel, value: ast.expr) -> str:
    """Why Dagster would reject the constant string `value` as a kind, or ''. `compute_kind`
    takes any string; `kinds` only what a tag key may hold."""
    text = _constant_str(model, value)
    if text is None or _KIND.fullmatch(text):
        return ""
    if len(text) > 63:
        return f"at most 63 characters; `{text[:20]}...` has {len(text)}"
    return f"letters, digits, `_`, `-` and `.`; not {text!r}"


def _multi_asset_kinds_fix(model: ModuleModel, d: Definition, kw: ast.keyword) -> tuple[Fix | None, str]:
    value_text = _one_line(model, kw.value)
    if _constant_str(model, kw.value) is None or value_text is None:
        return None, "the value may not be a plain string"
    if _has_splat(d.call):
        return None, "`**kwargs` may hold the outs"
    outs, specs = d.kwarg("outs"), d.kwarg("specs")
    if outs is not None and specs is None:
        if not isinstance(outs, ast.Dict) or None in outs.keys:
            return None, "`outs=` is not a literal dict"
        entries, wanted, shown = list(outs.values), "dagster.AssetOut", "AssetOut"
    elif specs is not None and outs is None:
        if not isinstance(specs, (ast.List, ast.Tuple)):
            return None, "`specs=` is not a literal list"
        entries, wanted, shown = list(specs.elts), "dagster.AssetSpec", "AssetSpec"
    else:
        return None, "the multi-asset has neither a literal `outs=` nor `specs=`"
    if not entries:
        return None, f"there is no `{shown}` to carry the kinds"
    for entry in entries:
        if not (isinstance(entry, ast.Call) and model.qualname(entry.func) == wanted):
            return None, f"not every entry is a literal `{shown}(...)`"
        if _call_keyword(entry, "kinds") is not None or _has_splat(entry):
            return None, f"an `{shown}` already sets `kinds=`"
    edits = [Edit("append_keyword", entry, "kinds", value="{" + value_text + "}") for entry in entries]
    edits.append(Edit("remove_keyword", kw))
    return Fix(tuple(edits)), ""


# ----------------------------------------------------------------------------- DAG803

# Attributes of OpExecutionContext that AssetExecutionContext lacks (Dagster 1.13).
_OP_ONLY_CONTEXT_ATTRS = frozenset({"has_partitions", "location_name"})


@rule(
    "DAG803",
    "op-context-in-asset",
    "R",
    "{kind} `{name}` annotates `{param}` as `{annotation}`; annotate it as `{replacement}`, the context Dagster "
    "builds for assets{why}",
)
def op_context_in_asset(model: ModuleModel):
    """`OpExecutionContext` annotation on the context of an asset.

    ## What it does
    Reports the annotation of the context parameter of an `@asset` or `@multi_asset` when it
    is `OpExecutionContext` (also written `dg.OpExecutionContext` or as a string). Ops, asset
    checks and the ops inside a graph-backed asset keep `OpExecutionContext` and are not
    reported.

    ## Why is this bad?
    Dagster hands an asset whatever its annotation asks for: with `OpExecutionContext` the
    asset gets the op-level context, which lacks the asset API (`add_asset_metadata`), and type
    checkers reject the asset methods the body calls. Dagster documents
    `AssetExecutionContext` for assets and deprecates the op-centric methods on it.

    ## Example
    ```python
    @dg.asset
    def orders(context: dg.OpExecutionContext):
        context.log.info(context.partition_key)
    ```

    ## Use instead
    ```python
    @dg.asset
    def orders(context: dg.AssetExecutionContext):
        context.log.info(context.partition_key)
    ```

    ## Fix
    `dagster-lint --fix` replaces the annotation with `AssetExecutionContext` in the module's
    import style (`dg.`, `dagster.`, or added to `from dagster import ...`) and drops the
    `OpExecutionContext` import when nothing else uses it. Not fixed when
    `AssetExecutionContext` already names something else in the module, when the body reads
    attributes only `OpExecutionContext` has (`has_partitions`, `location_name`), when the
    module checks `isinstance(..., OpExecutionContext)`, or when the context is passed to a
    function of the module that declares it as `OpExecutionContext`.

    A string annotation (quoted, or under `from __future__ import annotations`) is not reported
    here: Dagster refuses to load it whatever it names, which DAG109 reports.
    """
    isinstance_check = None
    for d in model.of_kind("asset", "multi_asset"):
        param = d.context_param
        if param is None or param.annotation is None:
            continue
        annotation = unquote_annotation(param.annotation)
        if annotation is None or model.qualname(annotation, None) != "dagster.OpExecutionContext":
            continue
        if annotation is not param.annotation or future_annotations(model) is not None:
            continue  # a string: Dagster refuses it whatever it names (DAG109)
        if isinstance_check is None:
            isinstance_check = _isinstance_op_context(model)
        why = ""
        autofix = None
        ref = dagster_ref(model, "AssetExecutionContext", annotation)
        replacement = ref.text if isinstance(ref, Ref) else "AssetExecutionContext"
        blocker = _context_blocker(model, d, param.arg) or isinstance_check
        if blocker:
            why = not_fixed(blocker)
        elif isinstance(ref, str):
            why = not_fixed(ref)
        else:
            autofix = Fix((Edit("replace", param.annotation, "{ref}", ref=ref),), old_import_name(model, annotation))
        yield Violation(
            param.annotation,
            kind=label(d),
            name=d.name,
            param=param.arg,
            annotation=ast.unparse(annotation),
            replacement=replacement,
            why=why,
            autofix=autofix,
        )


def _isinstance_op_context(model: ModuleModel) -> str:
    for call in model.all_calls:
        if isinstance(call.func, ast.Name) and call.func.id == "isinstance" and len(call.args) == 2:
            types = call.args[1].elts if isinstance(call.args[1], ast.Tuple) else [call.args[1]]
            if any(model.qualname(t) == "dagster.OpExecutionContext" for t in types):
                return f"line {call.lineno} checks `isinstance(..., OpExecutionContext)`"
    return ""


def _context_blocker(model: ModuleModel, d: Definition, param: str) -> str:
    """Why the body needs an OpExecutionContext, or ''."""
    for node in d.body_nodes:
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _OP_ONLY_CONTEXT_ATTRS
            and isinstance(node.value, ast.Name)
            and node.value.id == param
        ):
            return f"the body reads `{param}.{node.attr}`, which `AssetExecutionContext` does not have"
    helpers = {f.name: f for f in model.tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for _, call in d.calls:
        if not (isinstance(call.func, ast.Name) and call.func.id in helpers):
            continue
        helper = helpers[call.func.id]
        positional = [*helper.args.posonlyargs, *helper.args.args]
        declared: list[ast.arg] = []
        for i, arg in enumerate(call.args):
            if isinstance(arg, ast.Name) and arg.id == param and i < len(positional):
                declared.append(positional[i])
        by_name = {a.arg: a for a in (*positional, *helper.args.kwonlyargs)}
        for kw in call.keywords:
            if isinstance(kw.value, ast.Name) and kw.value.id == param and kw.arg in by_name:
                declared.append(by_name[kw.arg])
        for arg in declared:
            annotation = unquote_annotation(arg.annotation)
            if annotation is not None and model.qualname(annotation) == "dagster.OpExecutionContext":
                return f"`{helper.name}()` declares it as `OpExecutionContext`; change both"
    return ""


# ----------------------------------------------------------------------------- DAG804

# Callables that take both the deprecated `auto_materialize_policy=` and `automation_condition=`.
_POLICY_TAKERS = {
    "dagster.asset": None,
    "dagster.graph_asset": None,
    "dagster.AssetSpec": "AssetSpec",
    "dagster.AssetOut": "AssetOut",
    "dagster.load_assets_from_modules": "load_assets_from_modules",
    "dagster.load_assets_from_current_module": "load_assets_from_current_module",
    "dagster.load_assets_from_package_module": "load_assets_from_package_module",
    "dagster.load_assets_from_package_name": "load_assets_from_package_name",
}

_POLICY = "dagster.AutoMaterializePolicy"
# What Dagster 1.13's deprecation notices name as the replacement of each constructor.
_POLICY_REPLACEMENTS = {"eager": "eager", "lazy": "any_downstream_conditions"}


@rule(
    "DAG804",
    "auto-materialize-policy",
    "R",
    "{what} is deprecated (Dagster 1.10 replaced auto-materialize policies with automation conditions); {fix}",
)
def auto_materialize_policy(model: ModuleModel):
    """`AutoMaterializePolicy` and `auto_materialize_policy=` instead of `AutomationCondition`.

    ## What it does
    Reports `auto_materialize_policy=` on `@asset`, `@graph_asset`, `AssetSpec`, `AssetOut` and
    the `load_assets_from_*` helpers, and every other use of `AutoMaterializePolicy`
    (`AutoMaterializePolicy.eager()` assigned to a variable, returned from a translator, ...).
    Each expression is reported once.

    ## Why is this bad?
    Dagster deprecated auto-materialize policies in 1.10: they are kept only to read old
    serialized state, hidden from the API docs, and converted to an `AutomationCondition` when
    the code location loads. Declarative automation (`automation_condition=`) is what the UI,
    the automation sensor and the docs now describe.

    ## Example
    ```python
    @dg.asset(auto_materialize_policy=dg.AutoMaterializePolicy.eager())
    def orders(): ...
    ```

    ## Use instead
    ```python
    @dg.asset(automation_condition=dg.AutomationCondition.eager())
    def orders(): ...
    ```

    ## Fix
    `dagster-lint --fix` rewrites `auto_materialize_policy=` to `automation_condition=` when the
    value has a one-to-one replacement: `AutoMaterializePolicy.eager()` becomes
    `AutomationCondition.eager()` and `AutoMaterializePolicy.lazy()` becomes
    `AutomationCondition.any_downstream_conditions()` (the replacements Dagster's deprecation
    notices name), `AutoMaterializePolicy.from_automation_condition(c)` and
    `c.as_auto_materialize_policy()` become `c`, `None` stays `None`. `AutomationCondition` is
    named in the module's import style, and the `AutoMaterializePolicy` import goes when nothing
    uses it any more. The new conditions are not rate-limited (the default limit of one
    materialization per minute of `AutoMaterializePolicy.eager()` goes, as in Dagster's own
    migration), so an
    explicit `max_materializations_per_minute=` and policies changed with `.with_rules(...)` /
    `.without_rules(...)` are reported without a fix, as is a policy built elsewhere and passed
    by name, and one on a call that also has `automation_condition=`.
    """
    if "uto_materialize_policy" not in model.source and "AutoMaterializePolicy" not in model.source:
        return  # neither the keyword nor the class (under any alias: its import names it)
    covered: set[int] = set()
    for qualname, shown in _POLICY_TAKERS.items():
        for call in model.calls_to(qualname):
            kw = _call_keyword(call, "auto_materialize_policy")
            if kw is None:
                continue
            covered.add(id(kw.value))
            what = f"`auto_materialize_policy=` on {_taker(model, call, shown)}"
            new, edits, reason = _policy_replacement(model, kw.value)
            if _call_keyword(call, "automation_condition") is not None:
                reason = "the call also has `automation_condition=`; keep one of them"
            if new is not None:
                fix = f"write `automation_condition={new}`"
            else:
                fix = "pass an `AutomationCondition` as `automation_condition=` instead"
            autofix = None
            if reason:
                fix += not_fixed(reason)
            else:
                autofix = Fix(
                    (Edit("rename_keyword", kw, "automation_condition"), *edits), _policy_old_names(model, kw.value)
                )
            yield Violation(kw, what=what, fix=fix, autofix=autofix)

    for node in model.nodes_of(ast.Name, ast.Attribute):
        if model.qualname(node) != _POLICY or not isinstance(node.ctx, ast.Load):  # type: ignore[arg-type,attr-defined]
            continue
        top = _chain_top(model, node)  # type: ignore[arg-type]
        if any(id(a) in covered for a in (top, *model.ancestors(top))):
            continue
        new, _, _ = _policy_replacement(model, top)
        snippet = _one_line(model, top) or f"{model.segment(node)}..."
        if new is not None:
            fix = f"use `{new}` and pass it as `automation_condition=`"
        else:
            fix = "express it as an `AutomationCondition` (combine conditions with `&`, `|`, `~`)"
        fix += not_fixed("only a policy passed directly as `auto_materialize_policy=` is rewritten")
        yield Violation(top, what=f"`{snippet}`", fix=fix, autofix=None)


def _taker(model: ModuleModel, call: ast.Call, shown: str | None) -> str:
    if shown is not None:
        return f"`{shown}(...)`"
    parent = model.parent(call)
    if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and call in parent.decorator_list:
        kind = "graph asset" if model.qualname(call.func) == "dagster.graph_asset" else "asset"
        return f"{kind} `{parent.name}`"
    return f"`{model.segment(call.func)}(...)`"


def _chain_top(model: ModuleModel, node: ast.expr) -> ast.expr:
    """`AutoMaterializePolicy.eager().with_rules(x)` from its `AutoMaterializePolicy`."""
    while True:
        parent = model.parent(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            node = parent
        elif isinstance(parent, ast.Call) and parent.func is node:
            node = parent
        else:
            return node


def _policy_replacement(model: ModuleModel, value: ast.expr) -> tuple[str | None, list[Edit], str]:
    """(text of the replacement condition, edits, reason when there is no sure replacement)."""
    if isinstance(value, ast.Constant) and value.value is None:
        return "None", [], ""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        method, receiver = value.func.attr, value.func.value
        if model.qualname(receiver) == _POLICY:
            if method in _POLICY_REPLACEMENTS:
                replacement = _POLICY_REPLACEMENTS[method]
                ref = dagster_ref(model, "AutomationCondition", receiver)
                text = f"{ref.text if isinstance(ref, Ref) else 'AutomationCondition'}.{replacement}()"
                if value.args or value.keywords:
                    return text, [], (
                        "`max_materializations_per_minute` has no equivalent "
                        "(automation conditions are not rate-limited)"
                    )
                if isinstance(ref, str):
                    return text, [], ref
                return text, [Edit("replace", value, "{ref}." + replacement + "()", ref=ref)], ""
            if method == "from_automation_condition" and len(value.args) + len(value.keywords) == 1:
                inner = value.args[0] if value.args else value.keywords[0].value
                if isinstance(inner, ast.Starred) or (value.keywords and value.keywords[0].arg is None):
                    return None, [], "the condition is passed with `*` or `**`"
                return _one_line(model, inner) or "the condition", [Edit("unwrap", value, other=inner)], ""
            return None, [], (
                f"`AutoMaterializePolicy.{method}(...)` has no one-to-one `AutomationCondition` replacement"
            )
        if method == "as_auto_materialize_policy" and not value.args and not value.keywords:
            return _one_line(model, receiver) or "the condition", [Edit("unwrap", value, other=receiver)], ""
        if method in ("with_rules", "without_rules"):
            return None, [], (
                f"`.{method}(...)` changes the policy's rules, which have no one-to-one `AutomationCondition` "
                "equivalent; compose the condition by hand"
            )
    if isinstance(value, ast.Call) and model.qualname(value.func) == _POLICY:
        return None, [], "a policy built from rules has no one-to-one `AutomationCondition` equivalent"
    shown = _one_line(model, value, 40)
    where = f"`{shown}` is" if shown else "the policy is"
    return None, [], f"{where} built elsewhere; replace it with an `AutomationCondition` there"


def _policy_old_names(model: ModuleModel, value: ast.expr) -> tuple[str, ...]:
    names: list[str] = []
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and model.qualname(node) == _POLICY:
            names.extend(old_import_name(model, node))
    return tuple(names)


# ----------------------------------------------------------------------------- DAG807

# SourceAsset's parameters, in positional order.
_SOURCE_ASSET_PARAMS = (
    "key",
    "metadata",
    "io_manager_key",
    "io_manager_def",
    "description",
    "partitions_def",
    "group_name",
    "resource_defs",
    "observe_fn",
    "op_tags",
)
# Parameters AssetSpec takes under the same name with the same meaning (Dagster's own
# SourceAsset -> AssetSpec conversion, dagster/_core/definitions/external_asset.py).
_SAME_IN_SPEC = frozenset(
    {"key", "metadata", "description", "partitions_def", "group_name", "tags", "automation_condition",
     "legacy_freshness_policy"}
)
_NO_SPEC_EQUIVALENT = {
    "observe_fn": "an observation function makes it an `@dg.observable_source_asset`",
    "auto_observe_interval_minutes": "observation needs an `@dg.observable_source_asset`",
    "op_tags": "op tags only apply to an observation function (`@dg.observable_source_asset`)",
    "io_manager_def": "an `AssetSpec` carries no resources; register the IO manager in `Definitions(resources=...)` "
    "and use `.with_io_manager_key(...)`",
    "resource_defs": "an `AssetSpec` carries no resources; pass them to `Definitions(resources=...)`",
}
# Attributes an AssetSpec has with the same meaning as on a SourceAsset.
_SPEC_ATTRS = frozenset(
    {"key", "metadata", "description", "partitions_def", "group_name", "tags", "automation_condition",
     "legacy_freshness_policy"}
)
_LOADERS = (
    "dagster.load_assets_from_modules",
    "dagster.load_assets_from_current_module",
    "dagster.load_assets_from_package_module",
    "dagster.load_assets_from_package_name",
)


@rule(
    "DAG807",
    "source-asset",
    "R",
    "`{call}` is deprecated (removed in Dagster 2.0); {fix}",
)
def source_asset(model: ModuleModel):
    """`SourceAsset(...)` instead of `AssetSpec(...)`.

    ## What it does
    Reports every `SourceAsset(...)` constructed from Dagster (all import forms).

    ## Why is this bad?
    Dagster deprecated `SourceAsset` (removal in 2.0): an external asset is an `AssetSpec`,
    which the UI, `deps=`, asset checks and automation treat like any other asset. Its IO
    manager key moves to `AssetSpec(...).with_io_manager_key(...)`; a source asset with an
    observation function becomes an `@dg.observable_source_asset`.

    ## Example
    ```python
    raw_orders = dg.SourceAsset("raw_orders", io_manager_key="warehouse")
    ```

    ## Use instead
    ```python
    raw_orders = dg.AssetSpec("raw_orders").with_io_manager_key("warehouse")
    ```

    ## Fix
    `dagster-lint --fix` rewrites the call when every argument maps one-to-one, as Dagster's
    own conversion of a `SourceAsset` does: `key`, `metadata`, `description`, `partitions_def`,
    `group_name`, `tags`, `automation_condition` keep their names (positional arguments become
    keywords), `io_manager_key="x"` becomes `.with_io_manager_key("x")`; `AssetSpec` is named in
    the module's import style and the `SourceAsset` import goes when nothing uses it any more.
    Not fixed when the call has `observe_fn`, `io_manager_def`, `resource_defs`, `op_tags` or
    `**kwargs`, when `AssetSpec` already names something else in the module, when the
    module uses the object as a `SourceAsset` (`with_resources(...)`, `.io_manager_key`,
    `isinstance(..., SourceAsset)`), or when the module collects assets with
    `load_assets_from_*` without `include_specs=True` (which skips `AssetSpec`s). Uses in
    other modules are not visible to the fix: check `load_assets_from_*` calls elsewhere.
    """
    module_blocker = None
    for call in model.calls_to("dagster.SourceAsset"):
        if module_blocker is None:
            module_blocker = _source_asset_module_blocker(model)
        shown = _one_line(model, call, 70) or f"{model.segment(call.func)}(...)"
        ref = dagster_ref(model, "AssetSpec", call.func)
        spec = ref.text if isinstance(ref, Ref) else "AssetSpec"
        edits, reason, advice = _source_asset_edits(model, call, ref)
        if not reason:
            reason = _source_asset_use_blocker(model, call) or module_blocker
        fix = f"write `{advice}`" if advice else f"declare the external asset with `{spec}(...)`"
        autofix = None
        if reason:
            fix += not_fixed(reason)
        else:
            autofix = Fix(tuple(edits), old_import_name(model, call.func))
        yield Violation(call, call=shown, fix=fix, autofix=autofix)


def _source_asset_edits(model: ModuleModel, call: ast.Call, ref: Ref | str) -> tuple[list[Edit], str, str]:
    """(edits, reason when not fixable, the replacement shown in the message)."""
    spec = ref.text if isinstance(ref, Ref) else "AssetSpec"
    if _has_splat(call):
        return [], "the arguments are passed with `*` or `**`", ""
    edits: list[Edit] = []
    io_manager: ast.keyword | None = None
    for i, arg in enumerate(call.args):
        if i >= len(_SOURCE_ASSET_PARAMS):
            return [], "it has more positional arguments than `SourceAsset` takes", ""
        name = _SOURCE_ASSET_PARAMS[i]
        if name == "io_manager_key" or name not in _SAME_IN_SPEC:
            reason = _NO_SPEC_EQUIVALENT.get(name, f"`{name}` is passed positionally; pass it by keyword first")
            return [], reason, ""
        if i > 0:
            edits.append(Edit("positional_to_keyword", call, name, index=i))
    for kw in call.keywords:
        if kw.arg == "io_manager_key":
            io_manager = kw
        elif kw.arg in _NO_SPEC_EQUIVALENT:
            if isinstance(kw.value, ast.Constant) and kw.value.value is None:
                edits.append(Edit("remove_keyword", kw))
                continue
            return [], _NO_SPEC_EQUIVALENT[kw.arg], ""
        elif kw.arg not in _SAME_IN_SPEC:
            return [], f"`{kw.arg}=` has no `AssetSpec` equivalent", ""
    key_kw = _call_keyword(call, "key")
    key_node = call.args[0] if call.args else (key_kw.value if key_kw is not None else None)
    key_text = _one_line(model, key_node, 40) if key_node is not None else None
    others = len(call.args) + len(call.keywords) - (key_node is not None) - (io_manager is not None)
    advice = f"{spec}({key_text}{', ...' if others else ''})" if key_text else f"{spec}(...)"
    if io_manager is not None:
        if isinstance(io_manager.value, ast.Constant) and io_manager.value.value is None:
            edits.append(Edit("remove_keyword", io_manager))
        else:
            io_text = _one_line(model, io_manager.value, 30) or "..."
            advice += f".with_io_manager_key({io_text})"
            edits.append(Edit("chain_method", call, "with_io_manager_key", other=io_manager))
    if isinstance(ref, str):
        return [], ref, advice
    edits.insert(0, Edit("replace", call.func, "{ref}", ref=ref))
    return edits, "", advice


def _source_asset_use_blocker(model: ModuleModel, call: ast.Call) -> str:
    """Why the module needs this object to stay a SourceAsset, or ''."""
    parent = model.parent(call)
    names: set[str] = set()
    if isinstance(parent, ast.Assign) and parent.value is call:
        names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    elif isinstance(parent, ast.AnnAssign) and parent.value is call and isinstance(parent.target, ast.Name):
        names = {parent.target.id}
    uses: list[ast.AST] = [call]
    for node in model.nodes_of(ast.Name):
        if node.id in names and isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            uses.append(node)
    for use in uses:
        up = model.parent(use)
        if isinstance(up, ast.Attribute) and up.value is use and up.attr not in _SPEC_ATTRS:
            return f"the module reads `.{up.attr}`, which an `AssetSpec` does not have"
        for ancestor in (use, *model.ancestors(use)):
            if isinstance(ancestor, ast.Call) and ancestor is not use:
                callee = model.qualname(ancestor.func) or ""
                if callee == "dagster.with_resources" or callee.endswith("AssetSelection.assets"):
                    return f"it is passed to `{callee.split('.', 1)[-1]}(...)`, which does not take an `AssetSpec`"
            if isinstance(ancestor, ast.stmt):
                break
    return ""


def _source_asset_module_blocker(model: ModuleModel) -> str:
    for call in model.all_calls:
        if isinstance(call.func, ast.Name) and call.func.id == "isinstance" and len(call.args) == 2:
            types = call.args[1].elts if isinstance(call.args[1], ast.Tuple) else [call.args[1]]
            if any(model.qualname(t) == "dagster.SourceAsset" for t in types):
                return f"line {call.lineno} checks `isinstance(..., SourceAsset)`"
    for loader in model.calls_to(*_LOADERS):
        include = _call_keyword(loader, "include_specs")
        if include is None or not (isinstance(include.value, ast.Constant) and include.value.value is True):
            name = loader.func.attr if isinstance(loader.func, ast.Attribute) else ast.unparse(loader.func)
            return f"`{name}(...)` on line {loader.lineno} skips `AssetSpec`s unless `include_specs=True`"
    return ""
