"""Resources of the loaded Definitions (DAG307, DAG605)."""

from __future__ import annotations

import ast
import re

from dagster_lint.registry import runtime_check
from dagster_lint.runtime.graph import show
from dagster_lint.runtime.rules._common import Graph, hit
from dagster_lint.runtime.rules.explain import missing_resources

_KIND_LABELS = {"asset": "asset", "job": "job", "sensor": "sensor", "schedule": "schedule"}


@runtime_check(
    "DAG307",
    "{kind} `{name}` requires resource `{key}`, which the `Definitions` of `{target}` do not "
    "provide{when}; add it to `dg.Definitions(resources={{...}})`",
)
def resource_missing(graph: Graph):
    """Compares the resource keys every asset, job, sensor and schedule of the loaded
    `Definitions` requires (typed parameters, `required_resource_keys`, IO manager keys) with
    the resources bound at the top level. Dagster checks assets and jobs when it loads them;
    sensors and schedules fail only when they tick, so those are what runtime mode adds."""
    for kind, item, missing in missing_resources(graph):
        if kind == "asset":
            place, name = graph.locate.asset(item), show(item.key)
        else:
            place, name = graph.locate.named(kind, item.name, item.location), item.name
        function = item.owner if kind == "asset" else _function_name(graph, item)
        when = " (it fails at every tick)" if kind in ("sensor", "schedule") else ""
        for key in missing:
            yield hit(graph.locate.requirement(place, function, key), kind=_KIND_LABELS[kind], name=name, key=key,
                      target=graph.facts.target, when=when)


def _function_name(graph: Graph, item) -> str:
    """The Python name of a sensor's or schedule's function (its name unless `name=` renamed it)."""
    place = graph.locate.at(item.location)
    if place is not None:
        line = graph.locate.line_text(place)
        match = re.match(r"\s*(?:async\s+)?def\s+(\w+)", line)
        if match:
            return match.group(1)
    return item.name


@runtime_check(
    "DAG605",
    "the loaded `Definitions` of `{target}` bind `{key}` to an in-memory IO manager (`{type}`): values live "
    "only in the process of the run that produced them; use a persistent IO manager "
    "(`dg.FilesystemIOManager()`, an object-store or warehouse IO manager) and keep it for tests",
)
def in_memory_io_manager(graph: Graph):
    """Reads the resources the loaded `Definitions` really bind, so an in-memory IO manager
    returned by a helper or a factory in another module is found too. The finding sits where the
    project's source names `mem_io_manager` / `InMemoryIOManager`, or on the `Definitions`. The
    load happens in the linter's environment: when the source picks the IO manager by a
    condition (`mem_io_manager if local else ...`, a mapping chosen by deployment), it stays
    quiet, because the deployment may choose the other branch."""
    bound = [r for r in graph.facts.resources if r.in_memory_io]
    if not bound:
        return
    uses = graph.locate.references_to("dagster.mem_io_manager", "dagster.InMemoryIOManager")
    if any(_conditional(model, node) for model, node in uses):
        return
    place = (uses[0][0].path, uses[0][1].lineno, uses[0][1].col_offset) if uses else graph.locate.definitions()
    for resource in bound:
        yield hit(place, key=resource.key, type=resource.type.rsplit(".", 1)[-1], target=graph.facts.target)


def _conditional(model, node: ast.AST) -> bool:
    """Whether a use depends on a condition, or sits in a mapping of alternatives (by deployment)."""
    dicts = 0
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, (ast.IfExp, ast.If, ast.Match, ast.Try)):
            return True
        if isinstance(ancestor, ast.Dict):
            dicts += 1
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)) and "test" in ancestor.name:
            return True
    return dicts > 1
