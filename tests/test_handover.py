"""The CLI lints a project's files with the models its index built: the same findings as
parsing each file again, and never a model of other text than the one being linted."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from dagster_lint import handover, project, runner
from dagster_lint.engine import parse
from dagster_lint.model import ModuleModel, build
from dagster_lint.registry import RULES, load_rules

PROJECTS = Path(__file__).parent / "projects"
STATIC_PROJECTS = sorted(p for p in PROJECTS.iterdir() if p.is_dir() and p.name != "runtime")


def _tasks(root: Path) -> list[runner.Task]:
    load_rules()
    enabled = frozenset(code for code, rule in RULES.items() if rule.default and rule.mode != "R")
    files = sorted(str(p) for p in root.rglob("*.py"))
    return [runner.Task(path, enabled, "") for path in files]


def _findings(tasks: list[runner.Task], monkeypatch, budget: int) -> tuple[list, dict]:
    taken = {"models": 0}
    take = handover.take

    def counting_take(path, source):
        model = take(path, source)
        taken["models"] += model is not None
        return model

    monkeypatch.setattr(handover, "BUDGET", budget)
    monkeypatch.setattr(handover, "take", counting_take)
    results = runner.run(tasks)
    return [[(f.code, f.line, f.col, f.message) for f in found] for found in results], taken


@pytest.mark.parametrize("root", STATIC_PROJECTS, ids=lambda p: p.name)
def test_findings_are_the_same_with_the_index_models(root, monkeypatch, tmp_path):
    from dagster_lint import cache

    monkeypatch.setattr(cache.settings, "enabled", False)
    tasks = _tasks(root)
    with_models, taken = _findings(tasks, monkeypatch, handover.BUDGET)
    without, none_taken = _findings(tasks, monkeypatch, 0)
    assert with_models == without
    assert none_taken["models"] == 0
    if any(t.path.endswith(".py") and "dagster" in Path(t.path).read_text(encoding="utf-8") for t in tasks):
        assert taken["models"] > 0, "the index handed over no model"


def test_a_file_changed_since_the_index_read_it_is_parsed_again(tmp_path):
    path = tmp_path / "assets.py"
    old, new = "import dagster as dg\n\n@dg.asset\ndef a(): ...\n", "import dagster as dg\n\n@dg.asset\ndef b(): ...\n"
    handover.expect([str(path)])
    try:
        assert handover.offer(str(path.resolve()), build(parse(old, str(path)), old, str(path)))
        assert handover.take(str(path), new) is None
        assert handover.take(str(path), old) is None  # handed over once at most
    finally:
        handover.clear()


def test_a_model_is_handed_over_under_the_name_the_caller_uses(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    path = tmp_path / "pkg" / "assets.py"
    source = "import dagster as dg\n"
    monkeypatch.chdir(tmp_path)
    handover.expect(["pkg/assets.py"])
    try:
        assert handover.offer(str(path.resolve()), build(parse(source, str(path)), source, str(path)))
        model = handover.take("pkg/assets.py", source)
        assert model is not None and model.path == "pkg/assets.py"
        model.release()
    finally:
        handover.clear()


def test_a_name_that_reads_as_a_test_only_in_full_is_not_handed_over(tmp_path, monkeypatch):
    tests = tmp_path / "tests"
    tests.mkdir()
    path = tests / "helpers.py"
    source = "import dagster as dg\n"
    monkeypatch.chdir(tests)
    handover.expect(["helpers.py"])
    try:
        assert handover.offer(str(path.resolve()), build(parse(source, str(path)), source, str(path)))
        assert handover.take("helpers.py", source) is None  # `tests/helpers.py` is a test module, `helpers.py` not
    finally:
        handover.clear()


def test_models_beyond_the_budget_and_unexpected_files_are_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(handover, "BUDGET", 30)
    source = "import dagster as dg\n"  # 21 characters: one fits, two do not
    paths = [tmp_path / "a.py", tmp_path / "b.py"]
    handover.expect([str(p) for p in paths])
    try:
        kept = [handover.offer(str(p.resolve()), build(parse(source, str(p)), source, str(p))) for p in paths]
        assert kept == [True, False]
        other = tmp_path / "c.py"
        assert not handover.offer(str(other.resolve()), build(parse(source, str(other)), source, str(other)))
    finally:
        handover.clear()


def test_models_nobody_takes_are_released():
    root = PROJECTS / "resource_keys"
    gc.collect()
    gc.disable()  # released models are freed at once, as the memory test demands of every model
    try:
        handover.expect(str(p) for p in root.rglob("*.py"))
        project.build_index(root, use_cache=False)
        kept = len(handover._kept)
        handover.clear()
        alive = [o for o in gc.get_objects() if isinstance(o, ModuleModel)]
    finally:
        gc.enable()
    assert kept > 0
    assert alive == []
