"""`dagster-lint --fix` and `--diff` on the modules under tests/fixes/.

Each `<name>.py` has its expected result `<name>.fixed.py` checked in; a `# DAG8xx` comment in
the expected result marks a finding that must stay (not fixable, and saying why). The fixed
modules are loaded with the real Dagster next to the originals and must build the same assets.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from harness import expectations

import dagster_lint
from dagster_lint import cli
from dagster_lint.engine import lint_source
from dagster_lint.fixes import apply_fixes, fix_source
from dagster_lint.fixplan import Edit, Fix, Ref
from dagster_lint.registry import Finding

FIXES = Path(__file__).parent / "fixes"
INPUTS = sorted(p for p in FIXES.glob("*.py") if not p.name.endswith(".fixed.py"))
FIXABLE = "DAG801,DAG802,DAG803,DAG804,DAG807"


def expected_of(path: Path) -> Path:
    return path.with_name(f"{path.stem}.fixed.py")


def run(*args, stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        rc = cli.main([str(a) for a in args])
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return rc, out.getvalue(), err.getvalue()


def copy(src: Path, directory: Path, name: str | None = None) -> Path:
    target = directory / (name or src.name)
    target.write_bytes(src.read_bytes())
    return target


def test_every_input_has_an_expected_result():
    assert INPUTS, "no fixture under tests/fixes/"
    for path in INPUTS:
        assert expected_of(path).is_file(), f"{path.name} has no {expected_of(path).name}"
    for fixed in FIXES.glob("*.fixed.py"):
        assert fixed.with_name(fixed.name.replace(".fixed.py", ".py")).is_file(), f"{fixed.name} has no input"


def test_the_fixtures_cover_every_fixable_rule_and_import_style():
    text = "\n".join(p.read_text() for p in INPUTS)
    for code in FIXABLE.split(","):
        assert any(p.name.startswith(code.lower()) for p in INPUTS), f"no fix fixture for {code}"
    for style in ("import dagster as dg", "import dagster\n", "from dagster import (", " as "):
        assert style in text, f"no fix fixture imports Dagster with `{style.strip()}`"
    assert re.search(r"not fixed", text, re.IGNORECASE)


# ----------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_fix_writes_exactly_the_expected_module(path, tmp_path):
    target = copy(path, tmp_path)
    rc, out, err = run(target, "--fix", "--select", FIXABLE, "--format", "json")
    assert target.read_text() == expected_of(path).read_text()
    left = json.loads(out)
    assert {(item["line"], item["code"]) for item in left} == expectations(expected_of(path))
    for item in left:
        assert not item["fixable"] and "(not fixed automatically: " in item["message"], item["message"]
    assert rc == (1 if left else 0)
    changed = path.read_text() != expected_of(path).read_text()
    assert ("Fixed 0 findings" in err) == (not changed), err


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_a_second_fix_changes_nothing(path, tmp_path):
    target = copy(expected_of(path), tmp_path, path.name)
    before = target.stat().st_mtime_ns
    _, _, err = run(target, "--fix", "--select", FIXABLE)
    assert target.read_bytes() == expected_of(path).read_bytes()
    assert target.stat().st_mtime_ns == before, "a file without fixes must not be rewritten"
    assert "Fixed 0 findings in 0 files" in err
    rc, out, _ = run(target, "--diff", "--select", FIXABLE)
    assert (rc, out) == (0, "")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_diff_prints_what_fix_would_write_and_changes_nothing(path, tmp_path):
    target = copy(path, tmp_path)
    rc, out, _ = run(target, "--diff", "--select", FIXABLE)
    assert target.read_bytes() == path.read_bytes()
    old, new = path.read_text(), expected_of(path).read_text()
    expected = "".join(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), fromfile=str(target), tofile=str(target))
    )
    assert out == expected
    assert rc == (1 if old != new else 0)


# ----------------------------------------------------------------------------- Dagster load


@pytest.fixture(scope="session")
def dagster_facts():
    """What each fixture module and its fixed version build, loaded by the real Dagster."""
    pytest.importorskip("dagster")
    paths = [str(p) for path in INPUTS for p in (path, expected_of(path))]
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "dagster_facts.py"), *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# What the fixes change on purpose, as documented in each rule's `## Fix`: a policy becomes the
# condition Dagster's deprecation notice names, the op context becomes the asset context, and
# `compute_kind` (an op tag) becomes an entry of `kinds` (an asset tag): the same badge in the UI.
_NEW_FORM = {
    "AutoMaterializePolicy.eager()": "AutomationCondition.eager()",
    "AutoMaterializePolicy.lazy()": "AutomationCondition.any_downstream_conditions()",
    "OpExecutionContext": "AssetExecutionContext",
}


def _normalised(asset: dict) -> dict:
    asset = dict(asset)
    kinds = set(asset.pop("kinds"))
    compute_kind = asset.pop("compute_kind")
    asset["kinds shown"] = sorted(kinds | ({compute_kind} if compute_kind else set()))
    for fact in ("automation_condition", "context"):
        asset[fact] = _NEW_FORM.get(asset[fact], asset[fact])
    return asset


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_fixed_module_builds_the_same_assets(dagster_facts, path):
    before, after = dagster_facts[str(path)], dagster_facts[str(expected_of(path))]
    assert "error" not in before, f"{path.name} does not load: {before['error']}"
    assert "error" not in after, f"{expected_of(path).name} does not load: {after['error']}"
    assert before, f"{path.name} defines no asset"
    assert sorted(after) == sorted(before), "asset keys differ"
    for key in before:
        assert _normalised(after[key]) == _normalised(before[key]), key


def test_the_fixes_change_what_the_rules_promise(dagster_facts):
    """The normalisation above is not vacuous: Dagster sees the new forms in the fixed modules."""
    original = [a for path in INPUTS for a in dagster_facts[str(path)].values()]
    fixed = [a for path in INPUTS for a in dagster_facts[str(expected_of(path))].values()]

    def count(assets, form):
        return sum(form in (a["automation_condition"], a["context"]) for a in assets)

    for old, new in _NEW_FORM.items():
        assert count(fixed, old) < count(original, old), old
        assert count(fixed, new) - count(original, new) == count(original, old) - count(fixed, old), new
    assert sum(bool(a["compute_kind"]) for a in fixed) < sum(bool(a["compute_kind"]) for a in original)


# ----------------------------------------------------------------------------- the command


ALL_RULES = FIXES / "all_rules.py"


def test_stdin_fix_writes_the_fixed_buffer_to_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run("-", "--fix", "--select", FIXABLE, "--stdin-filename", "assets.py", stdin=ALL_RULES.read_bytes())
    assert out == expected_of(ALL_RULES).read_text()
    assert rc == 0 and "Fixed 8 findings in 1 file; 0 findings left." in err


def test_stdin_fix_reports_what_is_left_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = FIXES / "dag807_loader.py"
    rc, out, err = run("-", "--fix", "--select", FIXABLE, stdin=source.read_bytes())
    assert out == source.read_text()
    assert rc == 1 and "-:8:14: DAG807 `SourceAsset(\"raw_orders\")`" in err


def test_text_output_marks_fixable_findings(tmp_path):
    target = copy(FIXES / "dag807_name_taken.py", tmp_path)
    target.write_text(target.read_text() + 'other = SourceAsset("other")\n')
    rc, out, err = run(target, "--select", "DAG807")
    lines = out.splitlines()
    assert rc == 1 and len(lines) == 2
    assert ": DAG807 `SourceAsset(\"raw_orders\")`" in lines[0] and "[*]" not in lines[0]
    # `AssetSpec` is taken in this module, so neither is fixable; the same call elsewhere is.
    target.write_text('from dagster import SourceAsset\n\nother = SourceAsset("other")\n')
    rc, out, err = run(target, "--select", "DAG807")
    assert ":3:9: DAG807 [*] `SourceAsset(\"other\")`" in out
    assert "[*] 1 fixable with `dagster-lint --fix`" in err


def test_missing_libcst_is_a_clear_usage_error(tmp_path, monkeypatch):
    target = copy(ALL_RULES, tmp_path)
    monkeypatch.setitem(sys.modules, "libcst", None)  # `import libcst` now fails
    for name in ("fixes", "cst_layout"):
        monkeypatch.delitem(sys.modules, f"dagster_lint.{name}", raising=False)
        monkeypatch.delattr(dagster_lint, name, raising=False)
    rc, out, err = run(target, "--fix")
    assert rc == 2 and out == ""
    assert "install it with `pip install 'dagster-lint[fix]'`" in err
    assert target.read_bytes() == ALL_RULES.read_bytes()


def test_fix_keeps_bom_crlf_and_the_declared_encoding(tmp_path):
    source = ALL_RULES.read_text()
    expected = expected_of(ALL_RULES).read_text()
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode())
    latin = tmp_path / "latin.py"
    cookie = "# -*- coding: latin-1 -*-\n# Caf\xe9 orders\n"
    latin.write_bytes((cookie + source).encode("latin-1"))
    run(bom, latin, "--fix", "--select", FIXABLE)
    assert bom.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()
    assert latin.read_bytes() == (cookie + expected).encode("latin-1")


def test_noqa_findings_are_not_fixed(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(
        "import dagster as dg\n\n\n"
        '@dg.asset(compute_kind="pandas")  # noqa: DAG802\n'
        "def a():\n    return 1\n\n\n"
        '@dg.asset(compute_kind="pandas")\n'
        "def b():\n    return 1\n"
    )
    run(target, "--fix", "--select", FIXABLE)
    assert target.read_text().count('compute_kind="pandas"') == 1
    assert '@dg.asset(kinds={"pandas"})\ndef b' in target.read_text()


def test_only_the_selected_rules_are_fixed(tmp_path):
    target = copy(ALL_RULES, tmp_path)
    run(target, "--fix", "--select", "DAG801")
    text = target.read_text()
    assert 'deps={"raw_orders"}' in text and "non_argument_deps" not in text
    assert 'compute_kind="pandas"' in text and "SourceAsset(" in text


# ----------------------------------------------------------------------------- the applier


def fix_text(source: str) -> tuple[str, list[Finding]]:
    result = fix_source(source, lambda text: lint_source(text, "m.py", enabled=set(FIXABLE.split(","))))
    return result.source, result.findings


# (source, expected fixed source): layouts the rewrite must keep.
LAYOUTS = {
    "removed last keyword: its comment stays as a line": (
        dedent(
            """\
            import dagster as dg


            @dg.asset(
                group_name="g",
                compute_kind=None,  # no badge
            )
            def a():
                return 1
            """
        ),
        dedent(
            """\
            import dagster as dg


            @dg.asset(
                group_name="g",
                # no badge
            )
            def a():
                return 1
            """
        ),
    ),
    "removed middle keyword: both comments stay": (
        dedent(
            """\
            import dagster as dg


            @dg.asset(
                group_name="g",  # finance
                compute_kind=None,  # no badge
                key_prefix=["x"],
            )
            def a():
                return 1
            """
        ),
        dedent(
            """\
            import dagster as dg


            @dg.asset(
                group_name="g",  # finance
                # no badge
                key_prefix=["x"],
            )
            def a():
                return 1
            """
        ),
    ),
    "removed first and last keywords on one line": (
        dedent(
            """\
            import dagster as dg


            @dg.asset(compute_kind=None, group_name="g")
            def a():
                return 1


            @dg.asset(group_name="g", compute_kind=None)
            def b():
                return 1
            """
        ),
        dedent(
            """\
            import dagster as dg


            @dg.asset(group_name="g")
            def a():
                return 1


            @dg.asset(group_name="g")
            def b():
                return 1
            """
        ),
    ),
    "appended keyword after a last argument without comma": (
        dedent(
            """\
            from dagster import AssetOut, multi_asset


            @multi_asset(
                outs={"a": AssetOut(
                    key_prefix="x"  # c
                )},
                compute_kind="python"
            )
            def m():
                return 1
            """
        ),
        dedent(
            """\
            from dagster import AssetOut, multi_asset


            @multi_asset(
                outs={"a": AssetOut(
                    key_prefix="x",  # c
                    kinds={"python"}
                )}
            )
            def m():
                return 1
            """
        ),
    ),
    "non-ASCII text before the edit on the same line": (
        dedent(
            """\
            import dagster as dg


            @dg.asset(description="café ☕", compute_kind="pandas", non_argument_deps={"é"})
            def a():
                return 1
            """
        ),
        dedent(
            """\
            import dagster as dg


            @dg.asset(description="café ☕", kinds={"pandas"}, deps={"é"})
            def a():
                return 1
            """
        ),
    ),
    "parenthesized call, moved keyword": (
        dedent(
            """\
            from dagster import SourceAsset

            raw = (SourceAsset("raw", io_manager_key="w"))
            """
        ),
        dedent(
            """\
            from dagster import AssetSpec

            raw = (AssetSpec("raw").with_io_manager_key("w"))
            """
        ),
    ),
    "replaced import keeps the blank line after __future__": (
        dedent(
            '''\
            """Doc."""

            from __future__ import annotations

            from dagster._core.definitions.source_asset import SourceAsset

            raw = SourceAsset("raw")
            '''
        ),
        dedent(
            '''\
            """Doc."""

            from __future__ import annotations

            from dagster import AssetSpec

            raw = AssetSpec("raw")
            '''
        ),
    ),
    "an import in a function is extended there": (
        dedent(
            """\
            def build():
                from dagster import SourceAsset

                return SourceAsset("raw")
            """
        ),
        dedent(
            """\
            def build():
                from dagster import AssetSpec

                return AssetSpec("raw")
            """
        ),
    ),
    "an import that is all its block has stays": (
        dedent(
            """\
            import dagster as dg

            try:
                from dagster._core.definitions.source_asset import SourceAsset
            except ImportError:
                pass
            raw = SourceAsset("raw")
            """
        ),
        dedent(
            """\
            import dagster as dg

            try:
                from dagster._core.definitions.source_asset import SourceAsset
            except ImportError:
                pass
            raw = dg.AssetSpec("raw")
            """
        ),
    ),
    "a name still listed in __all__ keeps its import": (
        dedent(
            """\
            from dagster import SourceAsset

            __all__ = ["SourceAsset", "raw"]
            raw = SourceAsset("raw")
            """
        ),
        dedent(
            """\
            from dagster import AssetSpec, SourceAsset

            __all__ = ["SourceAsset", "raw"]
            raw = AssetSpec("raw")
            """
        ),
    ),
}


@pytest.mark.parametrize("case", LAYOUTS, ids=list(LAYOUTS))
def test_fix_keeps_the_layout(case):
    source, expected = LAYOUTS[case]
    fixed, left = fix_text(source)
    assert fixed == expected
    assert not [f for f in left if f.code in FIXABLE]


def _finding_with(edit: Edit) -> Finding:
    return Finding("DAG807", edit.node.lineno, edit.node.col_offset, "msg", fix=Fix((edit,)))


def test_a_fix_that_would_lose_a_comment_or_not_parse_is_not_applied():
    source = 'import dagster as dg\n\nA = {\n    "a": 1,  # keep me\n}\nB = dg.SourceAsset("b")\n'
    tree = ast.parse(source)
    loses_comment = _finding_with(Edit("replace", tree.body[1].value, "{{}}"))
    unparsable = _finding_with(Edit("replace", tree.body[2].value.func, "dg.("))
    result = apply_fixes(source, [loses_comment, unparsable])
    assert result.source == source and not result.applied
    reasons = {f.line: why for f, why in result.failed}
    assert reasons == {3: "the rewrite would drop a comment", 6: "the rewrite could not be built (ParserSyntaxError)"}


def test_one_failing_fix_does_not_block_the_others():
    source = 'import dagster as dg\n\nA = {\n    "a": 1,  # keep me\n}\nB = dg.SourceAsset("b")\n'
    tree = ast.parse(source)
    bad = _finding_with(Edit("replace", tree.body[1].value, "{{}}"))
    good = _finding_with(Edit("replace", tree.body[2].value.func, "{ref}", ref=Ref("AssetSpec", "dg.AssetSpec")))
    result = apply_fixes(source, [bad, good])
    assert result.applied == [good] and [f for f, _ in result.failed] == [bad]
    assert result.source == source.replace("dg.SourceAsset", "dg.AssetSpec")


def test_a_node_the_tree_does_not_have_is_not_guessed():
    source = 'import dagster as dg\n\nB = dg.SourceAsset("b")\n'
    elsewhere = ast.parse('import dagster as dg\n\nB = dg.SourceAsset("c", group_name="g")\n').body[1].value
    result = apply_fixes(source, [_finding_with(Edit("wrap_set", elsewhere))])
    assert result.source == source
    assert "could not be located" in result.failed[0][1]


def test_a_failed_fix_leaves_its_finding_saying_why():
    source = 'import dagster as dg\n\nA = {\n    "a": 1,  # keep me\n}\n'
    finding = _finding_with(Edit("replace", ast.parse(source).body[1].value, "{{}}"))
    result = fix_source(source, lambda text: [finding])
    assert result.source == source and result.applied == 0
    (left,) = result.findings
    assert left.fix is None and left.message == "msg (not fixed automatically: the rewrite would drop a comment)"


def test_overlapping_fixes_are_applied_on_the_next_pass():
    source = ALL_RULES.read_text()
    findings = lint_source(source, "m.py", enabled=set(FIXABLE.split(",")))
    first = apply_fixes(source, findings)
    assert len(first.applied) == len(findings) - 1 and not first.failed
    deferred = [f for f in findings if f not in first.applied]
    assert [f.code for f in deferred] == ["DAG802"]  # its AssetOut holds the rewritten policy
    assert fix_source(source, lambda text: lint_source(text, "m.py", enabled=set(FIXABLE.split(",")))).applied == 8


def test_finding_identity_ignores_the_fix():
    plain = Finding("DAG801", 1, 0, "m")
    with_fix = Finding("DAG801", 1, 0, "m", fix=Fix(()))
    assert plain == with_fix and hash(plain) == hash(with_fix)


def test_a_module_libcst_cannot_parse_keeps_its_findings(monkeypatch):
    import dagster_lint.fixes as fixes

    def refuse(source):
        raise fixes.cst.ParserSyntaxError("newer syntax", lines=[""], raw_line=1, raw_column=0)

    monkeypatch.setattr(fixes.cst, "parse_module", refuse)
    source = ALL_RULES.read_text()
    result = fix_source(source, lambda text: lint_source(text, "m.py", enabled=set(FIXABLE.split(","))))
    assert result.source == source and result.applied == 0
    why = "(not fixed automatically: libcst cannot parse the module (ParserSyntaxError))"
    assert result.findings and all(f.fix is None and f.message.endswith(why) for f in result.findings)
