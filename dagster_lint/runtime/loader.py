"""Child process: load the project's Definitions with Dagster and write GraphFacts as JSON.

    python path/to/dagster_lint/runtime/loader.py REQUEST.json

It runs in the project's own interpreter, which may have Dagster but not dagster-lint, so it
imports only the standard library, Dagster, and `graph.py` beside it (by file path). This is the
only module of dagster-lint that imports Dagster or the user's code. Every failure is written
as `GraphFacts.error` with the user's frames; the parent turns it into a DAG001 finding.
"""

from __future__ import annotations

import os
import sys

# Run as a script, Python puts this directory first on sys.path, where its sibling modules would
# shadow user modules of the same name (`graph`, `rules`). Dagster's own CLI has its console
# script directory there, and removes that entry while importing user code: so do we.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path[0] = os.path.dirname(sys.executable)

import datetime
import importlib.util
import json
import re
import time
import traceback
from typing import Any, Dict, List, Optional, Tuple

OLDEST_DAGSTER = (1, 9)
FAN_IN_SAMPLE = 1000  # downstream partitions measured for fan-in when there are more
_MAX_FRAMES = 60
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")
_MAX_PRINTS = 20


def _graph_module():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph.py")
    spec = importlib.util.spec_from_file_location("_dagster_lint_graph", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the classes
    spec.loader.exec_module(module)
    return module


G = _graph_module()


# ----------------------------------------------------------------------------- where things are
class Places:
    """File:line of user code, and which frames belong to the project."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root)
        self._lines: Dict[str, List[str]] = {}

    def in_project(self, path: str) -> bool:
        real = os.path.realpath(path)
        if not real.startswith(self.root + os.sep):
            return False
        rel = real[len(self.root) + 1 :].split(os.sep)
        return not any(part in ("site-packages", "dist-packages") or part.startswith(".") for part in rel)

    def lines(self, path: str) -> List[str]:
        if path not in self._lines:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    self._lines[path] = fh.read().splitlines()
            except OSError:
                self._lines[path] = []
        return self._lines[path]

    def of_function(self, fn: Any) -> Optional[Any]:
        """The `def` line of a function (its code starts at the first decorator)."""
        try:
            import inspect

            fn = inspect.unwrap(fn)
        except Exception:
            pass
        code = getattr(fn, "__code__", None)
        if code is None or not os.path.isfile(code.co_filename):
            return None
        path = os.path.realpath(code.co_filename)
        line = code.co_firstlineno
        lines = self.lines(path)
        for number in range(line, min(line + 80, len(lines)) + 1):
            match = _DEF.match(lines[number - 1])
            if match and match.group(1) == code.co_name:
                line = number
                break
        return G.Location(path, line)

    def of_binding(self, path: str, name: str) -> int:
        """The line that binds a module-level name (`defs = ...`, `def defs`), else 1."""
        pattern = re.compile(r"^(?:(?:async\s+)?def\s+" + re.escape(name) + r"\b|" + re.escape(name) + r"\s*[:=])")
        for number, text in enumerate(self.lines(path), start=1):
            if pattern.match(text):
                return number
        return 1

    def frames(self, exc: BaseException) -> List[Any]:
        """Frames of an exception and of what caused it, the root cause's innermost last."""
        chain = []
        seen = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            chain.append(exc)
            exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        frames = []
        for e in reversed(chain):
            for f in traceback.extract_tb(e.__traceback__):
                if not f.filename.startswith("<"):  # `<frozen importlib._bootstrap>` is no file
                    frames.append(G.Frame(os.path.realpath(f.filename), f.lineno or 1, f.name))
            if isinstance(e, SyntaxError) and e.filename and os.path.isfile(e.filename):
                frames.append(G.Frame(os.path.realpath(e.filename), e.lineno or 1, "<module>"))
        return frames[-_MAX_FRAMES:]

    def caller(self) -> Optional[Any]:
        """The innermost frame of the project in the current stack."""
        for f in reversed(traceback.extract_stack()):
            if f.filename != __file__ and not f.filename.startswith("<") and self.in_project(f.filename):
                return G.Frame(os.path.realpath(f.filename), f.lineno or 1, f.name)
        return None


class StdoutRecorder:
    """Stands in for sys.stdout while user code loads: what it prints is a finding, not output."""

    def __init__(self, places: Places, facts: Any):
        self.places = places
        self.facts = facts
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        if text.strip() and len(self.facts.printed) < _MAX_PRINTS:
            self.facts.printed.append(G.Printed(text.strip()[:200], self.places.caller()))
        sys.stderr.write(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _describe_exception(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    message = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    root = exc
    while root.__cause__ is not None or (root.__context__ is not None and not root.__suppress_context__):
        root = root.__cause__ or root.__context__
    if root is not exc:
        lines = str(root).strip().splitlines()
        message += f" (caused by {type(root).__name__}: {lines[0] if lines else ''})"
    return message[:600]


# ----------------------------------------------------------------------------- loading the target
def _dagster_version(dagster: Any) -> Tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", getattr(dagster, "__version__", ""))
    if not match:
        return (99, 0)  # a development build: newer than any release
    return (int(match.group(1)), int(match.group(2)))


def _load_target(target: dict) -> Tuple[Any, Any]:
    """(the loaded module, the object Dagster would load) for one code location."""
    from dagster._core.code_pointer import load_python_file, load_python_module
    from dagster._core.workspace import autodiscovery

    wd = target.get("working_directory")
    kind = target["kind"]
    if kind == "defs_folder":
        try:
            from dagster.components import load_defs
        except ImportError:
            raise RuntimeError(
                "a `defs` folder (`[tool.dg.project] autoload_defs`) needs Dagster 1.10 or newer "
                "(dagster.components)"
            ) from None
        module = load_python_module(target["module"], wd)
        # Dagster 1.10 has only `load_defs`: `load_from_defs_folder` arrived in 1.11.
        return module, load_defs(module)  # noqa: DAG800
    if kind == "file":
        module = load_python_file(target["file"], wd)
    else:
        module = load_python_module(target["module"], wd)
    attribute = target.get("attribute")
    if attribute:
        if not hasattr(module, attribute):
            raise AttributeError(f"module `{module.__name__}` has no attribute `{attribute}`")
        return module, getattr(module, attribute)
    loadables = autodiscovery.loadable_targets_from_loaded_module(module)
    if len(loadables) > 1:
        names = ", ".join(t.attribute for t in loadables)
        raise RuntimeError(f"`{module.__name__}` has several repositories ({names}): name one as `module:attribute`")
    target["attribute"] = loadables[0].attribute
    return module, loadables[0].target_definition


def _unlazy(obj: Any) -> Any:
    """A `@dg.definitions` function (LazyDefinitions) called, as Dagster does when it loads it."""
    try:
        from dagster._utils.test.definitions import LazyDefinitions
    except ImportError:
        return obj
    return obj() if isinstance(obj, LazyDefinitions) else obj


# ----------------------------------------------------------------------------- partitions
class _NoDynamicPartitions:
    """A dynamic partitions store with no partitions: the linter never opens the user's instance."""

    def get_dynamic_partitions(self, partitions_def_name):
        return []

    def get_paginated_dynamic_partitions(self, *args, **kwargs):
        raise NotImplementedError

    def has_dynamic_partition(self, partitions_def_name, partition_key):
        return False

    def get_existing_dynamic_partitions(self, partitions_def_name, partition_keys):
        return []

    def get_dynamic_partitions_definition_id(self, partitions_def_name):
        return ""


class Partitions:
    """Partitions definitions described once each, and Dagster's mappings evaluated between them
    at one fixed time (`evaluation_time`), memoised per (mapping, downstream, upstream)."""

    def __init__(self, facts: Any, evaluation_time: datetime.datetime):
        self.facts = facts
        self.time = evaluation_time
        self.store = _NoDynamicPartitions()
        self._ids: Dict[int, str] = {}
        self._by_text: Dict[str, str] = {}
        self._keys: Dict[str, List[str]] = {}
        self._alignments: Dict[Tuple[str, str, str], Any] = {}
        self._objects: List[Any] = []  # keeps described objects alive, so that ids stay unique
        self.seconds = 0.0  # spent evaluating mappings

    def context(self):
        """Dagster's clock stopped at the evaluation time, for every partition computation.

        1.10+ also reads the time from a partition loading context; 1.9 takes it as arguments
        (passed too), but some of its internals ask the clock, which is patched as Dagster's own
        `freeze_time` test helper does.
        """
        import contextlib
        from unittest import mock

        stack = contextlib.ExitStack()
        try:
            import dagster._time as clock

            if hasattr(clock, "_mockable_get_current_datetime"):
                stack.enter_context(mock.patch.object(clock, "_mockable_get_current_datetime", return_value=self.time))
            if hasattr(clock, "_mockable_get_current_timestamp"):
                stack.enter_context(
                    mock.patch.object(clock, "_mockable_get_current_timestamp", return_value=self.time.timestamp())
                )
        except ImportError:
            pass
        try:
            from dagster._core.definitions.partitions.context import partition_loading_context
        except ImportError:
            return stack
        stack.enter_context(partition_loading_context(self.time, self.store))
        return stack

    def id_of(self, pdef: Any) -> Optional[str]:
        if pdef is None:
            return None
        known = self._ids.get(id(pdef))
        if known is not None:
            return known
        desc = describe(pdef)
        text = json.dumps(desc, sort_keys=True)
        ident = self._by_text.get(text)
        if ident is None:
            ident = self._by_text[text] = f"p{len(self._by_text)}"
            self.facts.partitions[ident] = desc
        self._ids[id(pdef)] = ident
        self._objects.append(pdef)
        return ident

    def keys(self, pdef: Any) -> List[str]:
        ident = self.id_of(pdef)
        if ident not in self._keys:
            self._keys[ident] = list(
                pdef.get_partition_keys(current_time=self.time, dynamic_partitions_store=self.store)
            )
        return self._keys[ident]

    def align(self, mapping: Any, down: Any, up: Any) -> Any:
        memo = (_mapping_text(mapping), self.id_of(down), self.id_of(up))
        if memo not in self._alignments:
            started = time.perf_counter()
            self._alignments[memo] = self._evaluate(mapping, down, up)
            self.seconds += time.perf_counter() - started
        return self._alignments[memo]

    def _evaluate(self, mapping: Any, down: Any, up: Any) -> Any:
        result = G.Alignment()
        try:
            keys = self.keys(down)
        except Exception as exc:
            result.error = _describe_exception(exc)
            return result
        result.downstream = len(keys)
        if not keys:
            return result

        def upstream(lo: int, hi: int) -> Tuple[int, List[str]]:
            mapped = mapping.get_upstream_mapped_partitions_result_for_partitions(
                self._subset(down, keys, lo, hi), down, up,
                current_time=self.time, dynamic_partitions_store=self.store,
            )
            missing = list(mapped.required_but_nonexistent_partition_keys)
            return len(mapped.partitions_subset), missing

        try:
            valid, missing = upstream(0, len(keys))
            if missing:
                self._count_affected(keys, upstream, result)
            if valid + len(missing) > len(keys):  # some partition needs several upstream partitions
                self._fan_in(keys, upstream, result)
        except Exception as exc:  # Dagster refuses the pair: the error is the finding
            result.error = _describe_exception(exc)
        return result

    @staticmethod
    def _subset(pdef: Any, keys: List[str], lo: int, hi: int) -> Any:
        """Partitions `keys[lo:hi]`; for time windows one window, not thousands of parsed keys."""
        import dagster as dg

        if isinstance(pdef, dg.TimeWindowPartitionsDefinition):
            try:
                first = pdef.time_window_for_partition_key(keys[lo])
                last = pdef.time_window_for_partition_key(keys[hi - 1])
                return pdef.partitions_subset_class(
                    partitions_def=pdef, num_partitions=hi - lo,
                    included_time_windows=[type(first)(first.start, last.end)],
                )
            except Exception:
                pass
        return pdef.subset_with_partition_keys(keys[lo:hi])

    @staticmethod
    def _count_affected(keys: List[str], upstream, result: Any) -> None:
        """Bisect to the downstream partitions whose upstream partitions do not all exist.

        Misalignments come in runs (a later start, an end offset), so this costs a few calls
        per run instead of one per partition. A chunk none of whose upstream partitions exist is
        affected as a whole.
        """
        stack = [(0, len(keys))]
        while stack:
            lo, hi = stack.pop()
            valid, missing = upstream(lo, hi)
            if not missing:
                continue
            if hi - lo == 1 or valid == 0:
                result.affected += hi - lo
                if result.example is None or keys[lo] < result.example:
                    result.example, result.missing = keys[lo], sorted(missing)[0]
                continue
            mid = (lo + hi) // 2
            stack.extend([(mid, hi), (lo, mid)])

    @staticmethod
    def _fan_in(keys: List[str], upstream, result: Any) -> None:
        step = max(1, len(keys) // FAN_IN_SAMPLE)
        picked = list(range(0, len(keys), step))
        if picked[-1] != len(keys) - 1:
            picked.append(len(keys) - 1)
        result.fan_in_sampled = step > 1
        for index in picked:
            valid, missing = upstream(index, index + 1)
            if valid + len(missing) > result.max_fan_in:
                result.max_fan_in = valid + len(missing)
                result.fan_in_example = keys[index]


def describe(pdef: Any) -> dict:
    """A partitions definition as JSON: what the R rules compare, and what messages show."""
    import dagster as dg

    name = type(pdef).__name__
    if isinstance(pdef, dg.TimeWindowPartitionsDefinition):
        end = getattr(pdef, "end", None)
        return {
            "kind": "time",
            "class": name,
            "cron": pdef.cron_schedule,
            "start": pdef.start.isoformat(),
            "end": end.isoformat() if end is not None else None,
            "timezone": pdef.timezone,
            "fmt": pdef.fmt,
            "end_offset": pdef.end_offset,
        }
    if isinstance(pdef, dg.StaticPartitionsDefinition):
        keys = list(pdef.get_partition_keys())
        return {"kind": "static", "class": name, "keys": keys[:50], "count": len(keys)}
    if isinstance(pdef, dg.DynamicPartitionsDefinition):
        return {"kind": "dynamic", "class": name, "name": pdef.name}
    if isinstance(pdef, dg.MultiPartitionsDefinition):
        dims = [dict(describe(d.partitions_def), dimension=d.name) for d in pdef.partitions_defs]
        return {"kind": "multi", "class": name, "dimensions": dims}
    return {"kind": "other", "class": name}


def _mapping_text(mapping: Any) -> str:
    text = repr(mapping)
    # A repr with an address (a custom class without __repr__) never matches another object.
    return f"{type(mapping).__module__}.{type(mapping).__qualname__}:{text}"


# ----------------------------------------------------------------------------- facts
def _compute_fn(assets_def: Any) -> Any:
    try:
        node_def = assets_def.node_def
    except Exception:
        return None
    fn = getattr(node_def, "compute_fn", None)
    return getattr(fn, "decorated_fn", fn)


def _keys_of_item(item: Any) -> List[Any]:
    keys = getattr(item, "keys", None)
    if keys is not None and not callable(keys):
        return list(keys)
    key = getattr(item, "key", None)
    return [key] if key is not None else []


def _asset_owner(assets_def: Any, key: Any) -> str:
    fn = _compute_fn(assets_def)
    name = getattr(fn, "__name__", None)
    return name if name and name != "<lambda>" else key.to_user_string()


def raw_assets(items: List[Any], places: Places) -> List[Any]:
    """Assets as listed in `Definitions(assets=...)`, before Dagster builds the graph: what a
    failed load still tells (duplicate keys, resources of assets)."""
    out = []
    seen = set()
    for item in items:
        if id(item) in seen:  # the same object listed twice is one definition to Dagster
            continue
        seen.add(id(item))
        fn_location = places.of_function(_compute_fn(item)) if hasattr(item, "node_def") else None
        executable = bool(getattr(item, "is_executable", False))
        required = sorted(getattr(item, "required_resource_keys", ()) or ()) if executable else []
        own = sorted(getattr(item, "resource_defs", {}) or {}) if executable else []
        for key in _keys_of_item(item):
            out.append(
                G.Asset(
                    key=tuple(key.path),
                    owner=_asset_owner(item, key) if hasattr(item, "node_def") else key.to_user_string(),
                    kind="materializable" if executable else "external",
                    location=fn_location,
                    required_resources=required,
                    own_resources=own,
                )
            )
    return out


def graph_facts(repo: Any, facts: Any, partitions: Partitions, places: Places) -> None:
    graph = repo.asset_graph
    for node in sorted(graph.asset_nodes, key=lambda n: n.key.path):
        assets_def = graph.assets_def_for_key(node.key)
        metadata = assets_def.metadata_by_key.get(node.key, {}) if hasattr(assets_def, "metadata_by_key") else {}
        if metadata.get("dagster/auto_created_stub_asset"):
            kind = "stub"
        elif node.is_materializable:
            kind = "materializable"
        else:
            kind = "external"
        executable = kind == "materializable"
        facts.assets.append(
            G.Asset(
                key=tuple(node.key.path),
                owner=_asset_owner(assets_def, node.key) if executable else node.key.to_user_string(),
                kind=kind,
                location=places.of_function(_compute_fn(assets_def)) if executable else None,
                partitions=partitions.id_of(node.partitions_def),
                group=getattr(node, "group_name", None),
                required_resources=sorted(assets_def.required_resource_keys) if executable else [],
                own_resources=sorted(getattr(assets_def, "resource_defs", {}) or {}) if executable else [],
            )
        )
        loaded = _loaded_inputs(assets_def) if executable else set()
        for parent_key in sorted(node.parent_keys, key=lambda k: k.path):
            facts.edges.append(_edge(graph, node, parent_key, loaded, partitions))
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.path, k.name)):
        try:
            fn = _compute_fn(graph.assets_def_for_key(check_key))
        except Exception:
            fn = None
        facts.checks.append(G.Check(check_key.name, tuple(check_key.asset_key.path), places.of_function(fn)))


def _loaded_inputs(assets_def: Any) -> set:
    """Upstream keys the asset loads through an IO manager (typed inputs, not `Nothing` deps)."""
    loaded = set()
    try:
        node_def = assets_def.node_def
        for name, key in assets_def.keys_by_input_name.items():
            if not node_def.input_def_named(name).dagster_type.is_nothing:
                loaded.add(key)
    except Exception:
        pass
    return loaded


def _edge(graph: Any, node: Any, parent_key: Any, loaded: set, partitions: Partitions) -> Any:
    explicit = parent_key in node.partition_mappings
    parent = graph.get(parent_key)
    down, up = node.partitions_def, parent.partitions_def
    try:
        mapping = graph.get_partition_mapping(node.key, parent_key)
        mapping_name, mapping_repr = type(mapping).__name__, repr(mapping)
    except Exception as exc:
        mapping, mapping_name, mapping_repr = None, "", _describe_exception(exc)
    edge = G.Edge(
        child=tuple(node.key.path),
        parent=tuple(parent_key.path),
        mapping=mapping_name,
        mapping_repr=mapping_repr,
        explicit=explicit,
        loaded=parent_key in loaded,
    )
    if mapping is not None and down is not None and up is not None:
        partitions.id_of(up)
        edge.alignment = partitions.align(mapping, down, up)
    return edge


def definitions_facts(defs: Any, repo: Any, facts: Any, partitions: Partitions, places: Places) -> None:
    """Jobs, schedules, sensors and resources: from the repository when it resolved, else from
    the `Definitions` object as written (enough for unknown jobs and missing resources)."""
    import dagster as dg

    if repo is not None:
        # By name: building Dagster's implicit asset job for the whole graph is not needed here.
        jobs = [repo.get_job(name) for name in repo.job_names if not name.startswith("__ASSET_JOB")]
        schedules, sensors = list(repo.schedule_defs), list(repo.sensor_defs)
    else:
        jobs = list(getattr(defs, "jobs", None) or [])
        schedules = list(getattr(defs, "schedules", None) or [])
        sensors = list(getattr(defs, "sensors", None) or [])
    for job in jobs:
        facts.jobs.append(_job(job, partitions, places))
    for schedule in schedules:
        fn = getattr(schedule, "_execution_fn", None)
        fn = getattr(fn, "decorated_fn", fn)
        filename = getattr(getattr(fn, "__code__", None), "co_filename", "")
        if filename.endswith("partitioned_schedule.py"):
            style = "partitioned"
        elif os.sep + "dagster" + os.sep in filename and not places.in_project(filename):
            style = "plain"
        else:
            style = "function"
        facts.schedules.append(
            G.Schedule(
                name=schedule.name,
                job=_safe(lambda: schedule.job_name),
                style=style,
                required_resources=sorted(_safe(lambda: schedule.required_resource_keys) or ()),
                location=places.of_function(fn) if style == "function" else None,
            )
        )
    for sensor in sensors:
        targets = _safe(lambda: sensor.targets) or []
        facts.sensors.append(
            G.Sensor(
                name=sensor.name,
                jobs=sorted(t.job_name for t in targets if getattr(t, "job_name", None)),
                required_resources=sorted(_safe(lambda: sensor.required_resource_keys) or ()),
                location=places.of_function(getattr(sensor, "_raw_fn", None)),
            )
        )
    resources = getattr(defs, "resources", None) if defs is not None else None
    if resources is None and repo is not None:
        resources = _safe(repo.get_top_level_resources) or {}
    try:
        from dagster import InMemoryIOManager
    except ImportError:  # pragma: no cover - every supported Dagster has it
        InMemoryIOManager = ()
    for key, value in sorted((resources or {}).items()):
        in_memory = value is dg.mem_io_manager or isinstance(value, InMemoryIOManager)
        facts.resources.append(G.Resource(key, f"{type(value).__module__}.{type(value).__qualname__}", in_memory))


def _job(job: Any, partitions: Partitions, places: Places) -> Any:
    out = G.Job(name=job.name)
    layer = getattr(job, "asset_layer", None)
    keys = _safe(lambda: layer.executable_asset_keys) if layer is not None else None
    out.assets = sorted(tuple(k.path) for k in keys or ())
    out.partitions = partitions.id_of(_safe(lambda: job.partitions_def))
    required = set()
    if not keys:  # an op job: the ops' resources (an asset job's come from its assets)
        for op_def in _safe(lambda: list(job.graph.iterate_op_defs())) or []:
            required.update(getattr(op_def, "required_resource_keys", ()) or ())
        required -= set(_safe(lambda: job.resource_defs) or {})
    out.required_resources = sorted(required)
    return out


def _safe(fn):
    try:
        return fn()
    except Exception:
        return None


# ----------------------------------------------------------------------------- main
def load(request: dict) -> Any:
    target = request["target"]
    facts = G.GraphFacts(target=target["label"], python=sys.executable, evaluation_time=request["evaluation_time"])
    places = Places(request["project_root"])
    for path in reversed(target.get("import_paths", [])):
        if path not in sys.path:
            sys.path.insert(1, path)
    real_stdout = sys.stdout
    sys.stdout = StdoutRecorder(places, facts)
    state = {"stage": "version", "defs": None, "repo": None}
    try:
        _load_into(facts, request, places, state)
    except SystemExit as exc:
        facts.error = G.LoadError("exit", f"the code called sys.exit({exc.code!r})", places.frames(exc))
    except BaseException as exc:  # noqa: B036 - user code may raise anything, KeyboardInterrupt included
        facts.error = G.LoadError(state["stage"], _describe_exception(exc), places.frames(exc))
    finally:
        sys.stdout = real_stdout
    if facts.error is not None:
        facts.complete = False
        if state["defs"] is not None and (state["repo"] is None or state["stage"] == "graph"):
            _partial(state["defs"], facts, places)
    return facts


def _load_into(facts: Any, request: dict, places: Places, state: dict) -> None:
    """Load the target stage by stage; `state` says how far it got when something raises."""
    target = request["target"]
    started = time.perf_counter()
    try:
        import dagster
    except ImportError as exc:
        facts.error = G.LoadError(
            "version", f"found no Dagster in `{sys.executable}` ({exc}); install it there, or set `python` "
            "to the project's interpreter",
        )
        return
    facts.dagster_version = dagster.__version__
    if _dagster_version(dagster) < OLDEST_DAGSTER:
        facts.error = G.LoadError(
            "version", f"Dagster {dagster.__version__} in `{sys.executable}` is older than "
            f"{'.'.join(map(str, OLDEST_DAGSTER))}, the oldest release runtime mode supports",
        )
        return
    state["stage"] = "import"
    module, loaded = _load_target(target)
    facts.timings["import"] = time.perf_counter() - started
    module_file = getattr(module, "__file__", None)
    if module_file:
        path = os.path.realpath(module_file)
        facts.definitions = G.Location(path, places.of_binding(path, target.get("attribute") or ""))
    state["stage"] = "definitions"
    loaded = _unlazy(loaded)
    if isinstance(loaded, dagster.Definitions):
        state["defs"] = loaded
        facts.assets = raw_assets(list(loaded.assets or []), places)  # replaced once the graph resolves
    from dagster._core.definitions.reconstruct import repository_def_from_target_def

    repo = state["repo"] = repository_def_from_target_def(loaded)
    if repo is None:
        raise TypeError(f"`{target['label']}` is a {type(loaded).__name__}, not a Definitions object")
    facts.timings["definitions"] = time.perf_counter() - started - facts.timings["import"]
    state["stage"] = "graph"
    mark = time.perf_counter()
    repo.asset_graph  # noqa: B018 - Dagster builds the graph on first access: part of its own load
    facts.timings["graph"] = time.perf_counter() - mark
    mark = time.perf_counter()
    partitions = Partitions(facts, datetime.datetime.fromisoformat(request["evaluation_time"]))
    with partitions.context():
        facts.assets = []
        graph_facts(repo, facts, partitions, places)
        definitions_facts(state["defs"], repo, facts, partitions, places)
    facts.timings["facts"] = time.perf_counter() - mark
    facts.timings["partitions"] = partitions.seconds


def _partial(defs: Any, facts: Any, places: Places) -> None:
    """What the `Definitions` object tells although Dagster refused it."""
    facts.jobs, facts.schedules, facts.sensors, facts.resources = [], [], [], []
    try:
        partitions = Partitions(facts, datetime.datetime.fromisoformat(facts.evaluation_time))
        definitions_facts(defs, None, facts, partitions, places)
    except Exception:
        pass


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("usage: loader.py REQUEST.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        request = json.load(fh)
    try:
        import faulthandler
        import signal

        # The parent sends SIGUSR1 before it kills a load that hangs: the stacks say where.
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    except (ImportError, AttributeError, ValueError, OSError):
        pass
    facts = load(request)
    tmp = request["out"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(facts.dumps())
    os.replace(tmp, request["out"])
    sys.stderr.flush()
    # Threads or atexit hooks the user's code started must not keep the process alive.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
