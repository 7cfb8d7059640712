"""Load modules with the real Dagster and print, as JSON, what each defines: one entry per asset key.

Run in a subprocess by tests/test_fixes.py (`python dagster_facts.py A.py B.py ...`), so that the
modules run in a fresh interpreter, not in the test process. Deprecation warnings are expected
(the modules use deprecated APIs on purpose) and silenced. A module that fails to load gets
`{"error": ...}` instead of its facts.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
import typing
import warnings
from pathlib import Path

warnings.simplefilter("ignore")

import dagster as dg  # noqa: E402

_CONDITIONS = {
    # What Dagster turns the deprecated policies into: the fixtures' originals use them on purpose.
    "AutoMaterializePolicy.eager()": lambda: dg.AutoMaterializePolicy.eager().to_automation_condition(),  # noqa: DAG804
    "AutoMaterializePolicy.lazy()": lambda: dg.AutoMaterializePolicy.lazy().to_automation_condition(),  # noqa: DAG804
    "AutomationCondition.eager()": dg.AutomationCondition.eager,
    "AutomationCondition.any_downstream_conditions()": dg.AutomationCondition.any_downstream_conditions,
}


def load(path: Path):
    name = f"fixture_{path.stem.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # load_assets_from_modules looks the module up by name
    spec.loader.exec_module(module)
    return module


def definitions(module) -> dg.Definitions:
    # SourceAsset on purpose: DAG807's originals define them, and their facts are compared with
    # those of the AssetSpecs the fix makes.
    objects = [
        v for v in vars(module).values()
        if isinstance(v, (dg.AssetsDefinition, dg.AssetSpec, dg.SourceAsset))  # noqa: DAG800
    ]
    io_managers = {"io_manager"}
    for obj in objects:
        if isinstance(obj, dg.SourceAsset):  # noqa: DAG800
            io_managers.add(obj.io_manager_key or "io_manager")
        elif isinstance(obj, dg.AssetSpec):
            io_managers.add(obj.metadata.get("dagster/io_manager_key") or "io_manager")
        else:
            io_managers.update(out.io_manager_key for out in obj.node_def.output_defs)
    return dg.Definitions(assets=objects, resources={key: dg.mem_io_manager for key in io_managers})


def condition(node) -> str | None:
    cond = node.automation_condition
    if cond is None:
        return None
    for shown, make in _CONDITIONS.items():
        if cond == make():
            return shown
    return repr(cond)


def context_annotation(assets_def) -> str | None:
    if not assets_def.is_executable:
        return None
    fn = assets_def.op.compute_fn.decorated_fn
    params = list(inspect.signature(fn).parameters.values())
    if not params or params[0].name != "context":
        return None
    hint = typing.get_type_hints(fn).get("context", params[0].annotation)
    return getattr(hint, "__name__", str(hint))


def facts(module) -> dict[str, dict]:
    graph = definitions(module).resolve_asset_graph()
    out = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets_def = node.assets_def
        compute_kind = assets_def.op.tags.get("dagster/compute_kind") if assets_def.is_executable else None
        out[key.to_user_string()] = {
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "kinds": sorted(node.kinds),
            "compute_kind": compute_kind,
            "automation_condition": condition(node),
            "io_manager_key": node.io_manager_key,
            "group_name": node.group_name,
            "description": node.description,
            "metadata": {k: repr(v) for k, v in sorted(node.metadata.items())},
            "partitions_def": repr(node.partitions_def),
            "materializable": node.is_materializable,
            "context": context_annotation(assets_def),
        }
    return out


def main(paths: list[str]) -> None:
    out = {}
    for path in paths:
        try:
            out[path] = facts(load(Path(path)))
        except Exception as exc:  # reported to the test, which names the module
            out[path] = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
