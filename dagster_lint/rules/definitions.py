"""DAG1xx: definitions that Dagster refuses to build when the code location loads."""

from __future__ import annotations

import ast
import builtins

from dagster_lint.model import Definition, ModuleModel
from dagster_lint.registry import Violation, rule
from dagster_lint.rules._common import future_annotations, label

# The only annotations Dagster accepts on the context of a function it turns into an op
# (`_validate_context_type_hint` in dagster/_core/definitions/op_definition.py, 1.9 to 1.13):
# it compares the raw annotation object with these classes.
ACCEPTED_CONTEXT_TYPES = frozenset(
    {"dagster.AssetExecutionContext", "dagster.OpExecutionContext", "dagster.AssetCheckExecutionContext"}
)
# Definitions whose function becomes an op; sensors and schedules take any annotation.
_OP_BACKED_KINDS = ("asset", "multi_asset", "op", "asset_check", "observable_source_asset")
_CONTEXT_FOR_KIND = {"op": "OpExecutionContext", "asset_check": "AssetCheckExecutionContext"}


@rule(
    "DAG109",
    "context-annotation-rejected",
    "E",
    "{kind} `{name}` annotates `{param}` as {annotation}{why}: Dagster accepts only its context classes there "
    "and refuses to load the code location; {fix}",
)
def context_annotation_rejected(model: ModuleModel):
    """Context parameter annotated with something Dagster refuses, such as a string.

    ## What it does
    Reports the annotation of the context parameter (the first parameter, named `context`,
    `_context`, `context_` or `_`) of an `@asset`, `@multi_asset`, `@op`, `@asset_check` or
    `@observable_source_asset` when Dagster will reject it:

    - a string annotation (`context: "dg.AssetExecutionContext"`);
    - any annotation in a module with `from __future__ import annotations`, which turns every
      annotation into a string;
    - a type that is certainly not a Dagster context class: a builtin (`dict`), a `typing`
      form (`Any`, `Optional[...]`) or another Dagster class (`dg.SensorEvaluationContext`).

    A name the module cannot resolve (an alias assigned elsewhere) is not reported. Sensors and
    schedules are not checked: Dagster takes any annotation on their context.

    ## Why is this bad?
    When it builds the op, Dagster compares the annotation object itself with
    `AssetExecutionContext`, `OpExecutionContext` and `AssetCheckExecutionContext`. A string is
    none of them, so the definition raises `DagsterInvalidDefinitionError` and the whole code
    location fails to load. Adding `from __future__ import annotations` to a module (as some
    formatters and linters suggest) breaks every annotated asset in it at once.

    ## Example
    ```python
    from __future__ import annotations

    import dagster as dg

    @dg.asset
    def orders(context: dg.AssetExecutionContext): ...
    ```

    ## Use instead
    ```python
    import dagster as dg

    @dg.asset
    def orders(context: dg.AssetExecutionContext): ...
    ```
    """
    future = future_annotations(model)
    for d in model.of_kind(*_OP_BACKED_KINDS):
        param = d.context_param
        if param is None or param.annotation is None:
            continue
        annotation = param.annotation
        expected = _expected_context(model, d)
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            unquoted = _unquoted(model, annotation)
            why = " (a string)"
            fix = f"write `{unquoted}` without quotes" if unquoted else f"annotate it as `{expected}`"
        elif future is not None:
            why = f" under `from __future__ import annotations` (line {future.lineno}), which makes it a string"
            fix = "remove that import from the module, or leave the context unannotated"
        elif _certainly_not_a_context(model, annotation):
            why, fix = "", f"annotate it as `{expected}` or leave it unannotated"
        else:
            continue
        yield Violation(
            annotation,
            kind=label(d),
            name=d.name,
            param=param.arg,
            annotation=f"`{model.segment(annotation) or ast.unparse(annotation)}`",
            why=why,
            fix=fix,
        )


def _certainly_not_a_context(model: ModuleModel, annotation: ast.expr) -> bool:
    # Annotations are evaluated where the function is defined: module names, not its locals.
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = model.qualname(target)
    if name is not None:
        if isinstance(annotation, ast.Subscript):
            return True  # `Optional[AssetExecutionContext]` is not the class itself
        return name.split(".")[0] in ("typing", "typing_extensions") or (
            name.startswith("dagster.") and name not in ACCEPTED_CONTEXT_TYPES and name.count(".") == 1
        )
    return (
        isinstance(target, ast.Name)
        and hasattr(builtins, target.id)
        and target.id not in model.toplevel_names
        and target.id not in model.imports
    ) or isinstance(annotation, (ast.BinOp, ast.Constant))


def _expected_context(model: ModuleModel, d: Definition) -> str:
    """The accepted class, named the way the module already names Dagster objects."""
    symbol = _CONTEXT_FOR_KIND.get(d.kind, "AssetExecutionContext")
    locals_ = [local for local, target in model.imports.items() if target == f"dagster.{symbol}"]
    if symbol in locals_:
        return symbol
    modules = [local for local, target in model.imports.items() if target == "dagster"]
    if modules:
        return f"{modules[0]}.{symbol}"
    return locals_[0] if locals_ else symbol


def _unquoted(model: ModuleModel, annotation: ast.Constant) -> str | None:
    """The text of a string annotation when, unquoted, it names an accepted class."""
    try:
        expr = ast.parse(annotation.value.strip(), mode="eval").body
    except SyntaxError:
        return None
    return annotation.value.strip() if model.qualname(expr) in ACCEPTED_CONTEXT_TYPES else None
