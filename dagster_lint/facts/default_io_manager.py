"""What a module binds as the default `io_manager`, for DAG702.

An asset without `io_manager_key=` is stored by the resource bound to `"io_manager"`. When that
is one of Dagster's database I/O managers (METADATA_RECORDING_IO_MANAGERS), every value it
stores gets metadata. Recorded per module:

- `recording`: module-level names bound to such an I/O manager
  (`duckdb_io_manager = DuckDBPandasIOManager(...)`), so that other modules can import them;
- `defaults`: each `"io_manager": value` entry of a dict literal or `dict(io_manager=...)`
  call: `{"recording": true}` when the value is such an I/O manager (or a name bound to one
  here), `{"imported": "shop.resources.duckdb_io_manager"}` when it is an imported name, and
  `{"recording": false}` otherwise.
"""

from __future__ import annotations

import ast

from dagster_lint.facts import extractor
from dagster_lint.knowledge import METADATA_RECORDING_IO_MANAGERS
from dagster_lint.model import ModuleModel, literal_str


def _records(model: ModuleModel, value: ast.expr) -> bool:
    """`DuckDBPandasIOManager(...)`, `snowflake_pandas_io_manager.configured(...)`, or the class itself."""
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "configured":
            return _records(model, func.value)
        return model.qualname(func) in METADATA_RECORDING_IO_MANAGERS
    return model.qualname(value) in METADATA_RECORDING_IO_MANAGERS


def _default_entries(model: ModuleModel):
    """The values given to the key `io_manager` anywhere in the module."""
    for node in model.nodes_of(ast.Dict):
        for key, value in zip(node.keys, node.values):  # type: ignore[attr-defined]
            if key is not None and literal_str(key) == "io_manager":
                yield value
    for call in model.all_calls:
        if isinstance(call.func, ast.Name) and call.func.id == "dict":
            yield from (kw.value for kw in call.keywords if kw.arg == "io_manager")


@extractor("default_io_manager")
def extract(model: ModuleModel) -> dict:
    if "io_manager" not in model.source:
        return {}
    recording = sorted(name for name, value in model.constants.items() if _records(model, value))
    defaults = []
    for value in _default_entries(model):
        if _records(model, value) or (isinstance(value, ast.Name) and value.id in recording):
            defaults.append({"recording": True})
        elif isinstance(value, ast.Name) and value.id in model.imports:
            defaults.append({"imported": model.imports[value.id]})
        else:
            defaults.append({"recording": False})
    out: dict = {}
    if recording:
        out["recording"] = recording
    if defaults:
        out["defaults"] = defaults
    return out
