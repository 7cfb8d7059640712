"""Problems Dagster refuses to load, found in what the `Definitions` object holds.

When one of them is present, its own finding (DAG104, DAG307, DAG906) sits on the definition
at fault and says what to change, so the load failure it causes is not reported again as DAG001.
"""

from __future__ import annotations

from dagster_lint.cycles import strongly_connected
from dagster_lint.runtime.graph import Asset, Key
from dagster_lint.runtime.rules._common import Graph


def duplicates(graph: Graph) -> dict[Key, list[Asset]]:
    """Keys produced by more than one definition (a loaded graph has each key once)."""
    by_key: dict[Key, list[Asset]] = {}
    for asset in graph.facts.assets:
        if asset.kind != "stub":
            by_key.setdefault(asset.key, []).append(asset)
    return {key: assets for key, assets in by_key.items() if len(assets) > 1}


def unknown_targets(graph: Graph) -> list[tuple[str, object, str]]:
    """(kind, schedule or sensor, job name) for targets that name no job."""
    if graph.facts.error is None:
        return []  # Dagster resolved every target
    known = graph.job_names
    out: list[tuple[str, object, str]] = []
    for schedule in graph.facts.schedules:
        if schedule.job and schedule.job not in known:
            out.append(("schedule", schedule, schedule.job))
    for sensor in graph.facts.sensors:
        out.extend(("sensor", sensor, job) for job in sensor.jobs if job not in known)
    return out


def missing_resources(graph: Graph) -> list[tuple[str, object, list[str]]]:
    """(kind, definition, keys) for resource keys a definition needs that nothing provides."""
    provided = graph.provided_resources
    out: list[tuple[str, object, list[str]]] = []
    seen: set[tuple] = set()
    # Dagster checks assets and jobs when it loads them: missing keys there only show as a
    # failed load; sensors and schedules are checked only when they tick.
    loaded = graph.facts.error is None
    for asset in [] if loaded else graph.facts.assets:
        missing = sorted(set(asset.required_resources) - provided - set(asset.own_resources))
        where = (asset.owner, asset.location.path if asset.location else None, tuple(missing))
        if missing and where not in seen:  # a multi-asset lists its keys once each
            seen.add(where)
            out.append(("asset", asset, missing))
    jobs = [] if loaded else graph.facts.jobs
    for kind, items in (("job", jobs), ("sensor", graph.facts.sensors), ("schedule", graph.facts.schedules)):
        for item in items:
            missing = sorted(set(item.required_resources) - provided)
            if missing:
                out.append((kind, item, missing))
    return out


def cycles(graph: Graph) -> dict[Key, int]:
    """Assets on a dependency cycle, by the id of their cycle (Dagster loads the graph, then
    fails to order it when it builds jobs)."""
    parents = graph.parents
    component = strongly_connected(parents, lambda key: parents.get(key, ()))
    return {key: cid for key, (cid, size) in component.items() if size > 1 or key in parents.get(key, ())}


def explained_failure(graph: Graph) -> bool:
    error = graph.facts.error
    if error is None or error.stage not in ("definitions", "graph"):
        return False
    return bool(
        duplicates(graph)
        or unknown_targets(graph)
        or any(kind in ("asset", "job") for kind, *_ in missing_resources(graph))
        or cycles(graph)
    )
