"""DAG109 agrees with Dagster: every definition of its fixtures is built by the real Dagster."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import expectations

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures" / "lineage").glob("dag109_*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_dag109_reports_exactly_what_dagster_rejects(path):
    pytest.importorskip("dagster")
    proc = subprocess.run(
        [sys.executable, str(HERE / "dagster_context_check.py"), str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["errors"] == [], "the fixture must be valid Dagster apart from its context annotations"
    expected = {line for line, code in expectations(path) if code == "DAG109"}
    assert set(result["rejected"]) == expected
