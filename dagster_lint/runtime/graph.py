"""GraphFacts: what the loaded `Definitions` contain, as plain data the R rules read.

The child process (`loader.py`) fills these in from Dagster's own objects and writes them as
JSON; the parent reads them back and never imports Dagster. This module is loaded by the child
too, by file path, in the project's interpreter: it must stay standard-library only and
importable on every Python that Dagster 1.9+ supports (3.9 and later).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Dict, List, Optional, Tuple

# Bump when a field changes meaning or shape; the cache and the reader reject other versions.
SCHEMA = 3

Key = Tuple[str, ...]


def show(key: Key) -> str:
    return "/".join(key)


@dataclass
class Location:
    path: str  # absolute
    line: int


@dataclass
class Asset:
    key: Key
    owner: str  # the Python name that defines it (function, or the key for specs)
    kind: str  # "materializable", "external" (an AssetSpec / SourceAsset) or "stub" (created by Dagster)
    location: Optional[Location] = None
    partitions: Optional[str] = None  # id into GraphFacts.partitions
    group: Optional[str] = None
    required_resources: List[str] = field(default_factory=list)
    own_resources: List[str] = field(default_factory=list)  # bound on the asset itself (`with_resources`)


@dataclass
class Alignment:
    """Dagster's partition mapping evaluated over every downstream partition of one edge."""

    downstream: int = 0  # downstream partitions at the evaluation time
    affected: int = 0  # downstream partitions that need an upstream partition that does not exist
    example: Optional[str] = None  # an affected downstream partition
    missing: Optional[str] = None  # an upstream partition it needs that does not exist
    error: Optional[str] = None  # Dagster raised while mapping ("Timezones ... don't match")
    max_fan_in: int = 0  # most upstream partitions one downstream partition needs
    fan_in_example: Optional[str] = None  # the downstream partition with that many
    fan_in_sampled: bool = False  # fan-in was measured on evenly spaced partitions, not all


@dataclass
class Edge:
    child: Key
    parent: Key
    mapping: str  # the class of the partition mapping Dagster uses, e.g. "TimeWindowPartitionMapping"
    mapping_repr: str
    explicit: bool  # given by the user (`partition_mapping=`), else inferred by Dagster
    loaded: bool  # an input the IO manager loads (a parameter), not a `deps=` dependency
    alignment: Optional[Alignment] = None


@dataclass
class Check:
    name: str
    target: Key
    location: Optional[Location] = None


@dataclass
class Job:
    name: str
    partitions: Optional[str] = None
    assets: List[Key] = field(default_factory=list)
    required_resources: List[str] = field(default_factory=list)
    location: Optional[Location] = None


@dataclass
class Schedule:
    name: str
    job: Optional[str]
    # "partitioned": built by `build_schedule_from_partitioned_job`; "plain": a `ScheduleDefinition`
    # without a function (requests runs without a partition); "function": the user's own function.
    style: str
    required_resources: List[str] = field(default_factory=list)
    location: Optional[Location] = None


@dataclass
class Sensor:
    name: str
    jobs: List[str] = field(default_factory=list)
    required_resources: List[str] = field(default_factory=list)
    location: Optional[Location] = None


@dataclass
class Resource:
    key: str
    type: str  # qualified class name of the bound value
    in_memory_io: bool = False  # `mem_io_manager` / `InMemoryIOManager`


@dataclass
class Frame:
    path: str
    line: int
    function: str


@dataclass
class LoadError:
    # "import", "definitions", "graph", "exit", "timeout", "crash", "version", "output"
    stage: str
    message: str  # e.g. "ModuleNotFoundError: No module named 'pandas'"
    frames: List[Frame] = field(default_factory=list)  # innermost last


@dataclass
class Printed:
    text: str
    frame: Optional[Frame] = None


@dataclass
class GraphFacts:
    target: str  # as shown to the user: "shop.definitions:defs"
    schema: int = SCHEMA
    dagster_version: str = ""
    python: str = ""
    evaluation_time: str = ""
    definitions: Optional[Location] = None  # the module (and line) that provides the Definitions
    complete: bool = True  # False: the load failed and only what was read before is here
    partitions: Dict[str, dict] = field(default_factory=dict)
    assets: List[Asset] = field(default_factory=list)
    edges: List[Edge] = field(default_factory=list)
    checks: List[Check] = field(default_factory=list)
    jobs: List[Job] = field(default_factory=list)
    schedules: List[Schedule] = field(default_factory=list)
    sensors: List[Sensor] = field(default_factory=list)
    resources: List[Resource] = field(default_factory=list)
    error: Optional[LoadError] = None
    printed: List[Printed] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    @classmethod
    def from_json(cls, data: dict) -> GraphFacts:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"GraphFacts schema {data.get('schema')!r}, expected {SCHEMA}")
        return _build(cls, data)

    @classmethod
    def loads(cls, text: str) -> GraphFacts:
        return cls.from_json(json.loads(text))


# Which dataclass each nested field holds; keys are tuples, everything else is JSON as is.
_NESTED = {
    ("GraphFacts", "definitions"): Location,
    ("GraphFacts", "assets"): Asset,
    ("GraphFacts", "edges"): Edge,
    ("GraphFacts", "checks"): Check,
    ("GraphFacts", "jobs"): Job,
    ("GraphFacts", "schedules"): Schedule,
    ("GraphFacts", "sensors"): Sensor,
    ("GraphFacts", "resources"): Resource,
    ("GraphFacts", "error"): LoadError,
    ("GraphFacts", "printed"): Printed,
    ("Asset", "location"): Location,
    ("Edge", "alignment"): Alignment,
    ("Check", "location"): Location,
    ("Job", "location"): Location,
    ("Schedule", "location"): Location,
    ("Sensor", "location"): Location,
    ("LoadError", "frames"): Frame,
    ("Printed", "frame"): Frame,
}
_KEYS = {("Asset", "key"), ("Edge", "child"), ("Edge", "parent"), ("Check", "target")}
_KEY_LISTS = {("Job", "assets")}


def _build(cls, data: dict):
    values = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        where = (cls.__name__, f.name)
        nested = _NESTED.get(where)
        if value is not None and nested is not None:
            value = [_build(nested, v) for v in value] if isinstance(value, list) else _build(nested, value)
        elif where in _KEYS:
            value = tuple(value)
        elif where in _KEY_LISTS:
            value = [tuple(v) for v in value]
        values[f.name] = value
    return cls(**values)
