"""Partitions definitions, read from literals: for DAG201, DAG202, DAG207, DAG208, DAG209.

A spec is a JSON description of one partitions definition:

- `{"kind": "time", "cls": "DailyPartitionsDefinition", "cron": "0 0 * * *", "start": "2024-01-01",
  "fmt": "%Y-%m-%d", "tz": "UTC", "end": None, "end_offset": 0, "literal": True}`
- `{"kind": "static", "keys": ["eu", "us"]}` (`keys` None when computed)
- `{"kind": "dynamic", "name": "files"}` (`name` None when computed)
- `{"kind": "multi", "dims": {"date": spec, "region": spec}}` (`dims` None when computed)
- `{"ref": "daily"}`: a name the project index resolves (a module constant, here or imported)
- `{"kind": "unknown"}`: something else (a call, an attribute)

`literal` is False on a spec some of whose arguments are computed: its kind is known, not its
partitions. An argument that is another module's constant is `{"const": "constants.START_DATE"}`
until the index reads it.
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.keys import Literals, in_function_body
from dagster_lint.model import ModuleModel

# Class -> (positional parameters, default fmt, default cron pieces).
TIME_CLASSES = {
    "dagster.HourlyPartitionsDefinition": (
        "start_date end_date minute_offset timezone fmt end_offset", "%Y-%m-%d-%H:%M"),
    "dagster.DailyPartitionsDefinition": (
        "start_date end_date minute_offset hour_offset timezone fmt end_offset", "%Y-%m-%d"),
    "dagster.WeeklyPartitionsDefinition": (
        "start_date end_date minute_offset hour_offset day_offset timezone fmt end_offset", "%Y-%m-%d"),
    "dagster.MonthlyPartitionsDefinition": (
        "start_date end_date minute_offset hour_offset day_offset timezone fmt end_offset", "%Y-%m-%d"),
    "dagster.TimeWindowPartitionsDefinition": (
        "start fmt end schedule_type timezone end_offset minute_offset hour_offset day_offset cron_schedule", None),
}
STATIC = "dagster.StaticPartitionsDefinition"
DYNAMIC = "dagster.DynamicPartitionsDefinition"
MULTI = "dagster.MultiPartitionsDefinition"
PARTITIONS_CLASSES = frozenset({*TIME_CLASSES, STATIC, DYNAMIC, MULTI})

# Instance and request calls that name a dynamic partitions definition: name -> keyword.
DYNAMIC_NAME_CALLS = {
    "add_dynamic_partitions": "partitions_def_name",
    "delete_dynamic_partition": "partitions_def_name",
    "get_dynamic_partitions": "partitions_def_name",
    "has_dynamic_partition": "partitions_def_name",
    "get_dynamic_partitions_definition_id": "partitions_def_name",
}
DYNAMIC_REQUESTS = ("dagster.AddDynamicPartitionsRequest", "dagster.DeleteDynamicPartitionsRequest")


class SpecReader:
    """Reads partitions definitions of one module into specs."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self.lit = Literals(model)

    def spec(self, expr: ast.expr | None, depth: int = 0) -> dict | None:
        """The spec of a `partitions_def=` value; None for a literal `None`."""
        if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
            return None
        if isinstance(expr, ast.Name):
            return {"ref": expr.id}
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return {"ref": f"{expr.value.id}.{expr.attr}"}
        if isinstance(expr, ast.Call):
            cls = self.model.qualname(expr.func) or ""
            if cls in TIME_CLASSES:
                return self.time(expr, cls)
            if cls == STATIC:
                keys = self.lit.value(expr.args[0] if expr.args else _kw(expr, "partition_keys"))
                return {"kind": "static", "keys": keys if isinstance(keys, list) else None}
            if cls == DYNAMIC:
                name = self.lit.value(_kw(expr, "name") or (expr.args[1] if len(expr.args) > 1 else None))
                return {"kind": "dynamic", "name": name if isinstance(name, str) else None}
            if cls == MULTI:
                mapping = expr.args[0] if expr.args else _kw(expr, "partitions_defs")
                if isinstance(mapping, ast.Name) and self.lit.constant(mapping.id) is not None:
                    mapping = self.lit.constant(mapping.id)
                if not isinstance(mapping, ast.Dict) or depth > 2:
                    return {"kind": "multi", "dims": None}
                dims = {}
                for key, value in zip(mapping.keys, mapping.values):
                    name = self.lit.value(key) if key is not None else None
                    if not isinstance(name, str):
                        return {"kind": "multi", "dims": None}
                    dims[name] = self.spec(value, depth + 1) or {"kind": "unknown"}
                return {"kind": "multi", "dims": dims}
        return {"kind": "unknown"}

    def time(self, call: ast.Call, cls: str) -> dict:
        names, default_fmt = TIME_CLASSES[cls]
        params = names.split()
        args: dict[str, ast.expr] = dict(zip(params, call.args))
        args.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
        spread = any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)
        literal = not spread
        values: dict[str, object] = {}
        for name, expr in args.items():
            value = self._value(expr)
            if value is _COMPUTED:
                literal = False
            else:
                values[name] = value
        short = cls.rsplit(".", 1)[-1]
        minute = values.get("minute_offset") or 0
        hour = values.get("hour_offset") or 0
        if short == "HourlyPartitionsDefinition":
            cron = f"{minute} * * * *"
        elif short == "DailyPartitionsDefinition":
            cron = f"{minute} {hour} * * *"
        elif short == "WeeklyPartitionsDefinition":
            cron = f"{minute} {hour} * * {values.get('day_offset') or 0}"
        elif short == "MonthlyPartitionsDefinition":
            day = values.get("day_offset")
            cron = f"{minute} {hour} {1 if day is None else day} * *"
        else:
            cron = values.get("cron_schedule")
            if not isinstance(cron, str):
                literal = False
        return {
            "kind": "time",
            "cls": short,
            "cron": cron,
            "start": values.get("start_date", values.get("start")),
            "end": values.get("end_date", values.get("end")),
            "fmt": values.get("fmt") or default_fmt,
            "tz": values.get("timezone") or "UTC",
            "end_offset": values.get("end_offset") or 0,
            "literal": literal,
        }

    def _value(self, expr: ast.expr):
        if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, int)) and not isinstance(expr.value, bool):
            return expr.value
        if isinstance(expr, ast.Constant) and expr.value is None:
            return None
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub) and isinstance(expr.operand, ast.Constant):
            return -expr.operand.value if isinstance(expr.operand.value, int) else _COMPUTED
        if isinstance(expr, ast.Name):
            value = self.lit.constant(expr.id)
            if value is not None:
                return self._value(value)
            # Another module's constant (`from .constants import START_DATE`): the index reads it.
            return {"const": expr.id} if expr.id in self.model.imports else _COMPUTED
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in self.model.imports:
            return {"const": f"{expr.value.id}.{expr.attr}"}  # `constants.START_DATE`
        if isinstance(expr, ast.Call) and len(expr.args) >= 3 and not expr.keywords:
            # datetime(2024, 1, 1): the ISO date it stands for
            name = self.model.qualname(expr.func) or ""
            parts = [a.value for a in expr.args if isinstance(a, ast.Constant) and isinstance(a.value, int)]
            if name in ("datetime.datetime", "datetime.date") and len(parts) == len(expr.args):
                y, m, d, *rest = parts
                hh, mm = (rest + [0, 0])[:2]
                return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}"
        return _COMPUTED


_COMPUTED = object()


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _assigned(model: ModuleModel) -> dict[int, str]:
    """Module-level constants by the id of the value they are bound to."""
    return {id(value): name for name, value in model.constants.items()}


@extractor("partitions")
def extract(model: ModuleModel) -> dict:
    if not model.uses_dagster:
        return {}
    reader = SpecReader(model)
    assigned = _assigned(model)
    defs: dict[str, dict] = {}
    sites: list[dict] = []
    in_decorators: set[int] = set()
    for d in model.definitions:
        if d.call is not None:
            in_decorators.update(id(n) for n in d.call.keywords)
    for cls in PARTITIONS_CLASSES:
        for call in model.calls_to(cls):
            name = assigned.get(id(call))
            spec = reader.spec(call)
            if name is not None and reader.lit.constant(name) is call:
                defs[name] = {**spec, "line": call.lineno}
            parent = model.parent(call)
            nested_in_multi = isinstance(parent, ast.Dict) and isinstance(model.parent(parent), ast.Call) and (
                model.qualname(model.parent(parent).func) == MULTI)
            if not nested_in_multi:
                sites.append({"line": call.lineno, "col": call.col_offset, "name": name, "spec": spec,
                              "in_function": in_function_body(model, call)})
    assets: list[dict] = []
    for d in model.definitions:
        if not d.is_asset or d.nested:
            continue
        spec = reader.spec(d.kwarg("partitions_def"))
        if spec is not None:
            assets.append({"owner": d.name, "line": d.line, "spec": spec})
        for spec_call in _spec_calls(model, d.kwarg("specs"), reader):
            partitions = reader.spec(_kw(spec_call, "partitions_def"))
            key = reader.lit.key(spec_call.args[0] if spec_call.args else _kw(spec_call, "key"))
            if partitions is not None and key is not None:
                assets.append({"owner": d.name, "line": d.line, "key": list(key), "spec": partitions})
    for call in model.calls_to("dagster.AssetSpec", "dagster.SourceAsset"):
        if _in_decorator(model, call):
            continue
        partitions = reader.spec(_kw(call, "partitions_def"))
        key = reader.lit.key(call.args[0] if call.args else _kw(call, "key"))
        if partitions is not None and key is not None:
            owner = assigned.get(id(call)) or "/".join(key)
            assets.append({"owner": owner, "line": call.lineno, "spec": partitions})
    out: dict = {}
    if defs:
        out["defs"] = defs
    if sites:
        out["sites"] = sites
    if assets:
        out["assets"] = assets
    names = dynamic_names(model, reader)
    if names:
        out["dynamic_names"] = names
    return out


def _spec_calls(model: ModuleModel, specs: ast.expr | None, reader: SpecReader) -> list[ast.Call]:
    elements = reader.lit.sequence(specs) if specs is not None else None
    out = []
    for e in elements or []:
        if isinstance(e, ast.Name) and reader.lit.constant(e.id) is not None:
            e = reader.lit.constant(e.id)
        if isinstance(e, ast.Call) and model.qualname(e.func) == "dagster.AssetSpec":
            out.append(e)
    return out


def _in_decorator(model: ModuleModel, node: ast.AST) -> bool:
    child = node
    for parent in model.ancestors(node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return child in parent.decorator_list
        child = parent
    return False


def dynamic_names(model: ModuleModel, reader: SpecReader) -> list[dict]:
    """Places that name a dynamic partitions definition: by string (instance calls, requests),
    or by object (`files_partitions.build_add_request([...])`)."""
    out: list[dict] = []
    for call in model.all_calls:
        func = call.func
        name_expr = None
        via = None
        if isinstance(func, ast.Attribute) and func.attr in DYNAMIC_NAME_CALLS:
            name_expr = _kw(call, DYNAMIC_NAME_CALLS[func.attr]) or (call.args[0] if call.args else None)
            via = f"`{func.attr}(...)`"
        elif model.qualname(func) in DYNAMIC_REQUESTS:
            name_expr = _kw(call, "partitions_def_name") or (call.args[0] if call.args else None)
            via = f"`{model.qualname(func).rsplit('.', 1)[-1]}(...)`"
        elif isinstance(func, ast.Attribute) and func.attr in ("build_add_request", "build_delete_request"):
            target = func.value
            if isinstance(target, ast.Name):
                out.append({"line": call.lineno, "col": call.col_offset, "symbol": target.id,
                            "via": f"`.{func.attr}(...)`"})
            continue
        if name_expr is None:
            continue
        value = reader.lit.value(name_expr)
        entry = {"line": name_expr.lineno, "col": name_expr.col_offset, "via": via}
        if isinstance(value, str):
            out.append({**entry, "name": value})
        elif isinstance(name_expr, ast.Name) and name_expr.id in model.imports:
            out.append({**entry, "constant": name_expr.id})
    return out
