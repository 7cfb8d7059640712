"""Jobs, the names that refer to them, and the schedules that run them: for DAG906 and DAG207.

- jobs: `define_asset_job(...)`, `@job`, `<graph>.to_job(...)`, and integration builders that
  make a job from a `job_name=` (`build_schedule_from_dbt_selection`), each with the Python
  name it is bound to, its `partitions_def=` (a spec of facts/partitions.py; None when not
  given) and its selection (Python names or keys; None when computed);
- opaque: jobs whose names cannot be read, with a pattern where an f-string bounds them;
- refs: `job_name="..."` of `RunRequest`, `ScheduleDefinition`, `SensorDefinition` and the
  schedule and sensor decorators;
- schedules: what each schedule runs (a Python name, a job name or a selection), and whether
  it chooses a partition itself.
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.facts.partitions import SpecReader
from dagster_lint.keys import Literals
from dagster_lint.model import Definition, ModuleModel

_REF_CALLS = ("dagster.RunRequest", "dagster.ScheduleDefinition", "dagster.SensorDefinition")
_SELECTION = "dagster.AssetSelection"
# A schedule with one of these may put a partition on its runs (or builds them its own way).
_SCHEDULE_HOOKS = ("run_config", "run_config_fn", "tags", "tags_fn", "execution_fn", "should_execute")


class _Reader:
    def __init__(self, model: ModuleModel):
        self.model = model
        self.lit = Literals(model)
        self.specs = SpecReader(model)
        self.jobs: list[dict] = []
        self.opaque: list[dict] = []
        self._assigned = {id(v): k for k, v in model.constants.items()}

    def name(self, expr: ast.expr | None) -> str | None:
        value = self.lit.value(expr)
        return value if isinstance(value, str) else None

    def selection(self, expr: ast.expr | None, depth: int = 0) -> list[dict] | None:
        """Selected assets: {"symbol": name} or {"key": [...]}; None when not literal."""
        if expr is None or depth > 4:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            text = expr.value
            return [{"key": text.split("/")}] if text.replace("/", "").replace("_", "").isalnum() else None
        elements = self.lit.sequence(expr)
        if elements is not None:
            out: list[dict] = []
            for element in elements:
                item = self.item(element)
                if item is None:
                    return None
                out.append(item)
            return out
        if isinstance(expr, ast.Call):
            func = self.model.qualname(expr.func) or ""
            if func in (f"{_SELECTION}.assets", f"{_SELECTION}.keys"):
                items = [self.item(a, split=True) for a in expr.args]
                readable = items and all(i is not None for i in items) and not expr.keywords
                return items if readable else None  # type: ignore[return-value]
        return None

    def item(self, expr: ast.expr, split: bool = False) -> dict | None:
        if isinstance(expr, ast.Name) and self.lit.constant(expr.id) is None:
            return {"symbol": expr.id}
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return {"symbol": f"{expr.value.id}.{expr.attr}"}
        value = self.lit.value(expr)
        if isinstance(value, str):
            return {"key": value.split("/") if split or isinstance(expr, ast.Constant) else [value]}
        if isinstance(value, list):
            return {"key": value}
        return None

    def asset_job(self, call: ast.Call) -> None:
        name_expr = call.args[0] if call.args else _kw(call, "name")
        name = self.name(name_expr)
        if name is None:
            self._opaque(call, name_expr, "`define_asset_job` with a computed name")
            return
        selection_expr = call.args[1] if len(call.args) > 1 else _kw(call, "selection")
        partitions = self.specs.spec(call.args[7] if len(call.args) > 7 else _kw(call, "partitions_def"))
        self.jobs.append({
            "name": name, "var": self._assigned.get(id(call)), "line": call.lineno, "kind": "asset_job",
            "partitions": partitions,
            "selection": self.selection(selection_expr) if selection_expr is not None else None,
            "all": selection_expr is None,
        })

    def op_job(self, d: Definition) -> None:
        if d.nested:
            self._opaque(d.node, d.kwarg("name"), f"`@job` `{d.name}` defined inside a function")
            return
        name = self.name(d.kwarg("name")) if d.kwarg("name") is not None else d.name
        if name is None:
            self._opaque(d.node, d.kwarg("name"), f"`@job` `{d.name}` with a computed name")
            return
        self.jobs.append({"name": name, "var": d.name, "line": d.line, "kind": "op_job",
                          "partitions": self.specs.spec(d.kwarg("partitions_def")), "selection": None, "all": False})

    def to_job(self, call: ast.Call) -> None:
        assert isinstance(call.func, ast.Attribute)
        name_expr = _kw(call, "name")
        receiver = call.func.value
        if name_expr is not None:
            name = self.name(name_expr)
            if name is None:
                self._opaque(call, name_expr, "`to_job` with a computed name")
                return
        elif isinstance(receiver, ast.Name):
            graph = next((d for d in self.model.of_kind("graph") if d.name == receiver.id), None)
            if graph is None:
                # A graph from another module: its name is its own, which the index resolves.
                self.jobs.append({"name": None, "graph": receiver.id, "var": self._assigned.get(id(call)),
                                  "line": call.lineno, "kind": "op_job", "partitions": None, "selection": None,
                                  "all": False})
                return
            name = self.name(graph.kwarg("name")) if graph.kwarg("name") is not None else graph.name
            if name is None:
                self._opaque(call, None, "`to_job` of a graph with a computed name")
                return
        else:
            self._opaque(call, None, "`to_job` on a computed graph")
            return
        self.jobs.append({"name": name, "var": self._assigned.get(id(call)), "line": call.lineno, "kind": "op_job",
                          "partitions": self.specs.spec(_kw(call, "partitions_def")), "selection": None, "all": False})

    def _opaque(self, node: ast.AST, name_expr: ast.expr | None, reason: str) -> None:
        pattern = self.lit.part_pattern(name_expr) if name_expr is not None else ".+"
        bounded = None if pattern in (".+", ".*") else pattern
        self.opaque.append({"line": node.lineno, "reason": reason, "pattern": bounded})

    def target(self, job: ast.expr | None, target: ast.expr | None, job_name: ast.expr | None) -> dict | None:
        """What a schedule runs: {"symbol": ...}, {"name": ...}, {"selection": [...]}, or None."""
        for expr in (job, target):
            if expr is None:
                continue
            if isinstance(expr, ast.Name):
                return {"symbol": expr.id}
            if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
                return {"symbol": f"{expr.value.id}.{expr.attr}"}
            if isinstance(expr, ast.Call) and self.model.qualname(expr.func) == "dagster.define_asset_job":
                before = len(self.jobs)
                self.asset_job(expr)
                return {"job": self.jobs[before]} if len(self.jobs) > before else None
            selection = self.selection(expr)
            return {"selection": selection} if selection is not None else None
        name = self.name(job_name)
        return {"name": name} if name is not None else None


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _mentions_partition(d: Definition) -> bool:
    """Whether a schedule function handles partitions itself (any name, keyword or string)."""
    for node in d.body_nodes:
        if isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = node.attr
        elif isinstance(node, ast.keyword):
            text = node.arg or ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if "partition" in text:
            return True
    return False


@extractor("jobs")
def extract(model: ModuleModel) -> dict:
    if not model.uses_dagster:
        return {}
    reader = _Reader(model)
    inline: set[int] = set()
    refs: list[dict] = []
    schedules: list[dict] = []
    for call in model.calls_to("dagster.ScheduleDefinition"):
        job = _kw(call, "job")
        if isinstance(job, ast.Call):
            inline.add(id(job))
        target = reader.target(job, _kw(call, "target"), _kw(call, "job_name"))
        aware = any(kw.arg in _SCHEDULE_HOOKS or kw.arg is None for kw in call.keywords)
        schedules.append({"line": call.lineno, "col": call.col_offset, "owner": reader.name(_kw(call, "name")),
                          "target": target, "aware": aware})
    for d in model.of_kind("schedule"):
        target = reader.target(d.kwarg("job"), d.kwarg("target"), d.kwarg("job_name"))
        schedules.append({"line": d.line, "col": d.node.col_offset, "owner": reader.name(d.kwarg("name")) or d.name,
                          "target": target, "aware": _mentions_partition(d) or d.nested})
    for call in model.calls_to("dagster.define_asset_job"):
        if id(call) not in inline:
            reader.asset_job(call)
    for d in model.of_kind("job"):
        reader.op_job(d)
    for call in model.all_calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "to_job":
            reader.to_job(call)
    for name, calls in model.calls.items():
        if name.startswith("dagster_"):
            for call in calls:
                job_name = _kw(call, "job_name")
                if job_name is not None:
                    value = reader.name(job_name)
                    if value is None:
                        reader._opaque(call, job_name, f"`{name.rsplit('.', 1)[-1]}` with a computed `job_name`")
                    else:
                        reader.jobs.append({"name": value, "var": None, "line": call.lineno, "kind": "integration",
                                            "partitions": None, "selection": None, "all": False})
    for name in _REF_CALLS:
        for call in model.calls_to(name):
            _ref(reader, refs, _kw(call, "job_name"), f"`{name.rsplit('.', 1)[-1]}(job_name=...)`")
    for d in model.of_kind("schedule", "sensor"):
        _ref(reader, refs, d.kwarg("job_name"), f"`@{d.decorator.rsplit('.', 1)[-1]}(job_name=...)`")
    out: dict = {}
    for key, value in (("jobs", reader.jobs), ("opaque", reader.opaque), ("refs", refs), ("schedules", schedules)):
        if value:
            out[key] = value
    graphs = {d.name: reader.name(d.kwarg("name")) if d.kwarg("name") is not None else d.name
              for d in model.of_kind("graph") if not d.nested}
    if graphs:
        out["graphs"] = graphs
    return out


def _ref(reader: _Reader, refs: list[dict], expr: ast.expr | None, via: str) -> None:
    if expr is None:
        return
    value = reader.name(expr)
    entry = {"line": expr.lineno, "col": expr.col_offset, "via": via}
    if value is not None:
        refs.append({**entry, "name": value})
    elif isinstance(expr, ast.Name) and expr.id in reader.model.imports:
        refs.append({**entry, "constant": expr.id})
