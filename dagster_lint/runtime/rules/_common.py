"""What every runtime check reads: the loaded graph, indexed, and how to show its parts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dagster_lint.config import RuntimeOptions
from dagster_lint.runtime.graph import Asset, Edge, GraphFacts, Key, show
from dagster_lint.runtime.locate import Locator, Place


@dataclass
class Hit:
    """One runtime finding before formatting: where, and the values for the check's message."""

    place: Place
    args: dict = field(default_factory=dict)


def hit(place: Place | None, **args: object) -> Hit | None:
    """A finding at `place`; None (nothing to report on) when it is not in the project."""
    return Hit(place, args) if place is not None else None


class Graph:
    """GraphFacts of one code location, with the lookups the checks share."""

    def __init__(self, facts: GraphFacts, options: RuntimeOptions, root: Path):
        self.facts = facts
        self.options = options
        self.locate = Locator(root, facts)

    @cached_property
    def assets(self) -> dict[Key, Asset]:
        return {a.key: a for a in self.facts.assets}

    @cached_property
    def parents(self) -> dict[Key, list[Key]]:
        out: dict[Key, list[Key]] = {}
        for edge in self.facts.edges:
            out.setdefault(edge.child, []).append(edge.parent)
        return out

    def partitions(self, asset: Asset | None) -> dict | None:
        if asset is None or asset.partitions is None:
            return None
        return self.facts.partitions.get(asset.partitions)

    def sides(self, edge: Edge) -> tuple[Asset | None, Asset | None]:
        return self.assets.get(edge.child), self.assets.get(edge.parent)

    @cached_property
    def job_names(self) -> frozenset[str]:
        return frozenset(j.name for j in self.facts.jobs)

    @cached_property
    def provided_resources(self) -> frozenset[str]:
        # Dagster binds a filesystem IO manager to `io_manager` when nothing else does.
        return frozenset(r.key for r in self.facts.resources) | {"io_manager"}

    def closest_key(self, wanted: Key) -> str | None:
        known = {show(a.key): a for a in self.facts.assets if a.kind != "stub"}
        close = difflib.get_close_matches(show(wanted), list(known), n=1, cutoff=0.75)
        return close[0] if close else None


# ----------------------------------------------------------------------------- partitions
def label(desc: dict | None) -> str:
    """`daily from 2024-01-01 (UTC)`, `static ["eu", "us"]`, `dynamic "customers"`, ..."""
    if desc is None:
        return "not partitioned"
    kind = desc["kind"]
    if kind == "time":
        cadence = _CADENCES.get(desc["class"]) or f"cron `{desc['cron']}`"
        text = f"{cadence} from {desc['start'][:16].replace('T', ' ').removesuffix(' 00:00')} {desc['timezone']}"
        if desc.get("end_offset"):
            text += f", end_offset={desc['end_offset']}"
        return text
    if kind == "static":
        keys = ", ".join(f'"{k}"' for k in desc["keys"][:4])
        more = ", ..." if desc["count"] > 4 else ""
        return f"static [{keys}{more}]"
    if kind == "dynamic":
        return f'dynamic "{desc["name"]}"'
    if kind == "multi":
        return "multi (" + ", ".join(f"{d['dimension']}: {label(d)}" for d in desc["dimensions"]) + ")"
    return desc.get("class", kind)


_CADENCES = {
    "HourlyPartitionsDefinition": "hourly",
    "DailyPartitionsDefinition": "daily",
    "WeeklyPartitionsDefinition": "weekly",
    "MonthlyPartitionsDefinition": "monthly",
}
_ORDER = ("hourly", "daily", "weekly", "monthly")


def time_parts(desc: dict | None) -> dict[str, dict]:
    """The time-window parts of a partitions definition, by dimension name ("" when it is one)."""
    if desc is None:
        return {}
    if desc["kind"] == "time":
        return {"": desc}
    if desc["kind"] == "multi":
        return {d["dimension"]: d for d in desc["dimensions"] if d["kind"] == "time"}
    return {}


def time_difference(down: dict, up: dict) -> str | None:
    """Why two time-window definitions do not line up, in words, or None when they agree."""
    if down["timezone"] != up["timezone"]:
        return f'timezone "{down["timezone"]}" downstream, "{up["timezone"]}" upstream'
    if down["cron"] != up["cron"] and _CADENCES.get(down["class"]) == _CADENCES.get(up["class"]):
        return f'schedule `{down["cron"]}` downstream, `{up["cron"]}` upstream'
    if up["start"] > down["start"]:
        return f"upstream starts {up['start'][:10]}, after downstream ({down['start'][:10]})"
    if (down.get("end_offset") or 0) != (up.get("end_offset") or 0):
        return f"end_offset={down.get('end_offset') or 0} downstream, {up.get('end_offset') or 0} upstream"
    down_cadence, up_cadence = _CADENCES.get(down["class"]), _CADENCES.get(up["class"])
    if down_cadence and up_cadence and _ORDER.index(up_cadence) > _ORDER.index(down_cadence):
        return (f"the {up_cadence} upstream is coarser than the {down_cadence} downstream, and its current "
                "partition exists only once it ends")
    if down["fmt"] != up["fmt"]:
        return f'key format "{down["fmt"]}" downstream, "{up["fmt"]}" upstream'
    if (up.get("end") or "9") < (down.get("end") or "9"):
        return f"upstream ends {up['end'][:10]}, before downstream"
    return None


_OFFSET = re.compile(r"(start_offset|end_offset)=(-?\d+)")


def mapping_offsets(edge: Edge) -> int:
    """Downstream partitions an explicit time-window mapping's own offsets put out of range."""
    if edge.mapping != "TimeWindowPartitionMapping":
        return 0
    return sum(abs(int(value)) for _, value in _OFFSET.findall(edge.mapping_repr))


def short_mapping(edge: Edge) -> str:
    text = edge.mapping_repr
    return text if len(text) <= 80 else edge.mapping + "(...)"
