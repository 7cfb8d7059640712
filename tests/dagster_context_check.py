"""Build each decorated function of a module alone with the real Dagster and print, as JSON, the
lines of those Dagster refuses because of their context annotation.

Run in a subprocess by tests/test_rules_definitions.py (`python dagster_context_check.py FILE`).
Each definition is compiled with the module's top-level imports and assignments, so one rejected
definition does not hide the others. Any other error is printed too: the fixture must otherwise
be valid Dagster.
"""

from __future__ import annotations

import ast
import json
import sys
import warnings

warnings.simplefilter("ignore")

from dagster._core.errors import DagsterInvalidDefinitionError  # noqa: E402


def main(path: str) -> None:
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    header = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom, ast.Assign, ast.ClassDef))]
    rejected, errors = [], []
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or not stmt.decorator_list:
            continue
        module = ast.Module(body=[*header, stmt], type_ignores=[])
        try:
            # dont_inherit: this script's own `from __future__ import annotations` must not leak in.
            exec(compile(module, path, "exec", dont_inherit=True), {"__name__": "fixture"})
        except DagsterInvalidDefinitionError as exc:
            if "Cannot annotate `context`" in str(exc):
                rejected.append(stmt.lineno)
            else:
                errors.append(f"{stmt.name}: {exc}")
        except Exception as exc:  # noqa: BLE001 - reported, the test fails on it
            errors.append(f"{stmt.name}: {type(exc).__name__}: {exc}")
    json.dump({"rejected": rejected, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
