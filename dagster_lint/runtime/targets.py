"""Which Definitions to load, found the way Dagster's own tools find them.

In order, the first that applies wins:

1. the command line: `--definitions module:attr`, `-m module`, `-f file.py`;
2. `definitions = ...` in [tool.dagster-lint] (one target or a list);
3. `workspace.yaml` beside the pyproject.toml (every code location in it);
4. [tool.dagster] `module_name` / `modules`;
5. [tool.dg.project]: `autoload_defs` (the `defs` module), else `code_location_target_module`
   (default `<root_module>.definitions`).

A module without `:attr` is searched as Dagster does: a `@dg.definitions` function, the one
`Definitions` object, a repository, or a single job.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class TargetError(Exception):
    """No target, or one that cannot be read; the message says what to configure."""


@dataclass(frozen=True)
class Target:
    kind: str  # "module", "file" or "defs_folder"
    label: str  # as shown in messages: "shop.definitions:defs", "src/defs.py"
    working_directory: str
    module: str | None = None
    file: str | None = None
    attribute: str | None = None
    location: str | None = None  # the code location's name, when configured
    python: str | None = None  # workspace.yaml `executable_path`: this location's interpreter
    import_paths: tuple[str, ...] = field(default_factory=tuple)
    source_file: str | None = None  # the module's file, found without importing it

    def request(self) -> dict:
        data = asdict(self)
        data["import_paths"] = list(self.import_paths)
        return data


def discover(root: Path, configured: tuple[str, ...] = (), explicit: tuple[str, ...] = (),
             python: str | None = None) -> list[Target]:
    """The targets of the project at `root`; raises TargetError when there is none."""
    root = root.resolve()
    if explicit:
        return [parse(spec, root) for spec in explicit]
    if configured:
        return [parse(spec, root) for spec in configured]
    workspace = root / "workspace.yaml"
    if workspace.is_file():
        return from_workspace(workspace, root, python)
    pyproject = root / "pyproject.toml"
    data = _toml(pyproject) if pyproject.is_file() else {}
    targets = from_pyproject(data, root)
    if targets:
        return targets
    raise TargetError(
        f"runtime mode found no Definitions to load in {root}: pass `--definitions module:attr`, `-m module` or "
        "`-f file.py`, set `definitions = \"module:attr\"` in [tool.dagster-lint], or configure "
        "[tool.dagster] module_name, [tool.dg.project] or a workspace.yaml as for `dagster dev`"
    )


def parse(spec: str, root: Path, *, kind: str | None = None) -> Target:
    """`module`, `module:attr`, `path/to/file.py` or `path/to/file.py:attr`."""
    text, sep, attribute = spec.strip().rpartition(":")
    if not sep or not attribute.isidentifier():  # no attribute (`C:\\x.py` has a drive letter)
        text, attribute = spec.strip(), ""
    is_file = kind == "file" or (kind is None and (text.endswith(".py") or "/" in text or "\\" in text))
    if is_file:
        return file_target(root / text, root, attribute or None)
    return module_target(text, root, attribute or None)


def module_target(module: str, root: Path, attribute: str | None = None, *, working_directory: Path | None = None,
                  location: str | None = None, python: str | None = None, kind: str = "module") -> Target:
    if not module or not all(part.isidentifier() for part in module.split(".")):
        raise TargetError(f"`{module}` is not a Python module name")
    wd = (working_directory or root).resolve()
    import_root, source = _find_module(module, wd)
    label = f"{module}:{attribute}" if attribute else module
    return Target(
        kind=kind, label=label, working_directory=str(wd), module=module, attribute=attribute, location=location,
        python=python, import_paths=tuple(str(p) for p in dict.fromkeys([wd, import_root]) if p is not None),
        source_file=str(source) if source else None,
    )


def file_target(path: Path, root: Path, attribute: str | None = None, *, working_directory: Path | None = None,
                location: str | None = None, python: str | None = None) -> Target:
    path = path.resolve()
    if not path.is_file():
        raise TargetError(f"{path}: no such Python file")
    wd = (working_directory or root).resolve()
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    # A src layout's packages import from `src/`, installed or not.
    paths = [wd] + [wd / "src"] * (wd / "src").is_dir()
    return Target(
        kind="file", label=f"{shown}:{attribute}" if attribute else shown, working_directory=str(wd),
        file=str(path), attribute=attribute, location=location, python=python,
        import_paths=tuple(str(p) for p in paths), source_file=str(path),
    )


def _find_module(module: str, wd: Path) -> tuple[Path | None, Path | None]:
    """(the directory to import it from, its file), looking in the working directory and `src/`."""
    parts = module.split(".")
    for base in (wd, wd / "src"):
        package = base.joinpath(*parts)
        for candidate in (package.with_suffix(".py"), package / "__init__.py"):
            if candidate.is_file():
                return base, candidate
        if package.is_dir():  # a namespace package
            return base, None
    return None, None


# ----------------------------------------------------------------------------- pyproject.toml
def from_pyproject(data: dict, root: Path) -> list[Target]:
    tool = data.get("tool", {}) if isinstance(data, dict) else {}
    dagster = tool.get("dagster", {})
    if isinstance(dagster.get("module_name"), str):
        return [module_target(dagster["module_name"], root, dagster.get("attribute"),
                              location=dagster.get("code_location_name"))]
    if isinstance(dagster.get("modules"), list):
        return [
            module_target(m["name"], root, m.get("attribute"), location=dagster.get("code_location_name"))
            for m in dagster["modules"]
            if isinstance(m, dict) and m.get("type", "module") == "module" and isinstance(m.get("name"), str)
        ]
    project = tool.get("dg", {}).get("project", {})
    if isinstance(project, dict) and isinstance(project.get("root_module"), str):
        root_module = project["root_module"]
        location = project.get("code_location_name")
        if project.get("autoload_defs"):
            return [module_target(project.get("defs_module", f"{root_module}.defs"), root, location=location,
                                  kind="defs_folder")]
        return [module_target(project.get("code_location_target_module", f"{root_module}.definitions"), root,
                              location=location)]
    return []


def _toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TargetError(f"{path}: cannot read it: {exc}") from None


# ----------------------------------------------------------------------------- workspace.yaml
def from_workspace(path: Path, root: Path, python: str | None = None) -> list[Target]:
    """Every code location of a workspace.yaml (gRPC servers are left out: nothing to import)."""
    data = _yaml(path, python)
    entries = data.get("load_from") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise TargetError(f"{path}: no `load_from` entries")
    base = path.parent.resolve()
    targets = []
    for entry in entries:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise TargetError(f"{path}: each `load_from` entry is one of python_file, python_module, python_package")
        (kind, value), = entry.items()
        if kind == "grpc_server":
            continue
        if isinstance(value, str):
            value = {"relative_path" if kind == "python_file" else "module_name": value}
        if not isinstance(value, dict):
            raise TargetError(f"{path}: `{kind}` must be a name or a mapping")
        wd = base / value["working_directory"] if "working_directory" in value else None
        common = {"working_directory": wd, "location": value.get("location_name"),
                  "python": value.get("executable_path")}
        if kind == "python_file":
            targets.append(file_target(base / value["relative_path"], root, value.get("attribute"), **common))
        elif kind in ("python_module", "python_package"):
            name = value.get("module_name") or value.get("package_name")
            targets.append(module_target(name, root, value.get("attribute"), **common))
        elif kind == "autoload_defs_module":
            targets.append(module_target(value["module_name"], root, kind="defs_folder", **common))
        else:
            raise TargetError(f"{path}: unknown `load_from` entry `{kind}`")
    if not targets:
        raise TargetError(f"{path}: only gRPC servers, which runtime mode cannot load")
    return targets


def _yaml(path: Path, python: str | None) -> object:
    """workspace.yaml parsed with PyYAML: Dagster's own dependency, so the project's interpreter
    has it when this one does not."""
    try:
        import yaml
    except ImportError:
        yaml = None
    try:
        if yaml is not None:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        code = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"
        proc = subprocess.run([python or sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              timeout=60)
        if proc.returncode != 0:
            raise TargetError(f"{path}: cannot parse it (PyYAML is not installed here nor in the project)")
        return json.loads(proc.stdout)
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        raise TargetError(f"{path}: cannot read it: {exc}") from None
    except Exception as exc:  # yaml.YAMLError, without importing yaml for the name
        raise TargetError(f"{path}: invalid YAML: {exc}") from None
