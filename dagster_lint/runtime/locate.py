"""Where an object of the loaded graph is written in the source.

The child records the `def` line of every function it can reach. Objects built by calls
(`define_asset_job`, `ScheduleDefinition`, `AssetSpec`) have no such line: they are found by
name in the project's source, with the same ModuleModel the static rules use, and R findings
land on the line where the static twin of the rule would report, so the two deduplicate.
"""

from __future__ import annotations

import ast
from functools import cached_property
from pathlib import Path

from dagster_lint.model import ModuleModel, literal_str
from dagster_lint.runtime.graph import Asset, GraphFacts, Key, Location

Place = tuple[str, int, int]  # (absolute path, line, column)

# Calls that build a named job, schedule or sensor, and the positional index of `name`.
_NAMED_CALLS = {
    "job": {"dagster.define_asset_job": 0},
    "schedule": {"dagster.ScheduleDefinition": 0, "dagster.build_schedule_from_partitioned_job": None},
    "sensor": {"dagster.SensorDefinition": 0, "dagster.AutomationConditionSensorDefinition": 0},
}
_NAMED_DECORATORS = {"job": ("job",), "schedule": ("schedule",), "sensor": ("sensor",)}


class Locator:
    def __init__(self, root: Path, facts: GraphFacts):
        self.root = root.resolve()
        self.facts = facts
        self._in_project: dict[str, bool] = {}

    # ------------------------------------------------------------------ the project
    @cached_property
    def index(self):
        from dagster_lint.project import build_index

        try:
            return build_index(self.root)
        except (OSError, RecursionError):
            return None

    @cached_property
    def models(self) -> list[ModuleModel]:
        """Every production module of the project that mentions Dagster, parsed on first use."""
        from dagster_lint.engine import UnreadableSource, decode, parse
        from dagster_lint.model import build

        out = []
        for entry in self.index.production() if self.index else []:
            try:
                source = decode(entry.path.read_bytes())
                out.append(build(parse(source, str(entry.path)), source, str(entry.path)))
            except (OSError, UnreadableSource, SyntaxError, ValueError, RecursionError):
                continue
        return out

    def in_project(self, path: str) -> bool:
        known = self._in_project.get(path)
        if known is None:
            try:
                rel = Path(path).resolve().relative_to(self.root)
                known = not any(
                    part.startswith(".") or part in ("site-packages", "dist-packages") for part in rel.parts
                )
            except ValueError:
                known = False
            self._in_project[path] = known
        return known

    def entry(self, path: str):
        """The project index entry of a file (paths from the child are already resolved)."""
        return self.index.entries.get(Path(path)) if self.index is not None else None

    # ------------------------------------------------------------------ places
    def line_text(self, place: Place) -> str:
        try:
            lines = Path(place[0]).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return lines[place[1] - 1] if 0 < place[1] <= len(lines) else ""

    def display(self, place: Place) -> str:
        try:
            shown = Path(place[0]).resolve().relative_to(self.root).as_posix()
        except ValueError:
            shown = Path(place[0]).name
        return f"{shown}:{place[1]}"

    def definitions(self) -> Place | None:
        where = self.facts.definitions
        if where is not None and self.in_project(where.path):
            return (where.path, where.line, 0)
        return None

    def at(self, location: Location | None) -> Place | None:
        if location is not None and self.in_project(location.path) and Path(location.path).is_file():
            return (location.path, location.line, 0)
        return None

    def asset(self, asset: Asset) -> Place | None:
        """The asset's `def` line, else where the project's source produces its key."""
        found = self.at(asset.location)
        if found is None and self.index is not None:
            for entry, produced in self.index.producers(asset.key):
                return (str(entry.path), produced.line, produced.col)
        return found

    def reference(self, asset: Asset, upstream: Asset | None, key: Key) -> Place | None:
        """Where `asset`'s source names the upstream `key` (by key, or by the Python name of the
        upstream definition: `deps=[raw_events]`), as the P rules report; else the asset."""
        place = self.asset(asset)
        if place is not None and self.index is not None:
            entry = self.entry(place[0])
            symbol = upstream.owner if upstream is not None else None
            for ref in entry.summary.references if entry else ():
                if ref.owner == asset.owner and ref.via != "check" and (
                    ref.key == key or (ref.key is None and symbol is not None and ref.symbol == symbol)
                ):
                    return (place[0], ref.line, ref.col)
        return place

    def check_reference(self, name: str, location: Location | None, target: Key) -> Place | None:
        place = self.at(location)
        if place is not None and self.index is not None:
            entry = self.entry(place[0])
            for ref in entry.summary.references if entry else ():
                if ref.via == "check" and ref.key == target and ref.owner == name:
                    return (place[0], ref.line, ref.col)
        return place

    def requirement(self, place: Place | None, owner: str, key: str) -> Place | None:
        """Where the definition at `place` asks for resource `key` (a typed parameter, a
        `required_resource_keys` entry: what the P rule reports), else `place`."""
        if place is not None and self.index is not None:
            entry = self.entry(place[0])
            resources = entry.summary.facts.get("resources") or {} if entry else {}
            for req in resources.get("requires", []) if isinstance(resources, dict) else []:
                if req.get("owner") == owner and req.get("key") == key:
                    return (place[0], req["line"], req["col"])
        return place

    def named(self, kind: str, name: str, location: Location | None = None) -> Place | None:
        """A job, schedule or sensor: its function, else the call that names it, else `Definitions`."""
        found = self.at(location)
        if found is not None:
            return found
        for model in self.models:
            for d in model.of_kind(*_NAMED_DECORATORS[kind]):
                given = literal_str(d.kwarg("name"))
                if (given or d.name) == name:
                    return (model.path, d.line, d.node.col_offset)
            for qualname, position in _NAMED_CALLS[kind].items():
                for call in model.calls_to(qualname):
                    if _call_name(call, position) == name:
                        return (model.path, call.lineno, call.col_offset)
        return self.definitions()

    def references_to(self, *qualnames: str) -> list[tuple[ModuleModel, ast.AST]]:
        """Uses of these Dagster names in production modules (`dg.mem_io_manager`, ...)."""
        out = []
        for model in self.models:
            if model.is_test_module or not any(q.rsplit(".", 1)[-1] in model.source for q in qualnames):
                continue
            for node in model.nodes_of(ast.Name, ast.Attribute):
                if isinstance(getattr(node, "ctx", None), ast.Load) and model.qualname(node) in qualnames:
                    out.append((model, node))
        return out


def _call_name(call: ast.Call, position: int | None) -> str | None:
    for kw in call.keywords:
        if kw.arg == "name":
            return literal_str(kw.value)
    if position is not None and len(call.args) > position:
        return literal_str(call.args[position])
    return None
