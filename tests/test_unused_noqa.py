"""DAG002: the CLI reports `# noqa: DAGxxx` comments that suppress nothing (off by default)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from textwrap import dedent

from dagster_lint import cli

MODULE = dedent(
    '''\
    import dagster as dg

    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


    @dg.asset(partitions_def=daily, description="On the decorator, not the reported line.")  # noqa: DAG204
    def orders(context):
        return context.partition_key


    @dg.asset(partitions_def=daily, description="Needed: DAG204 is reported here.")
    def refunds(context):  # noqa: DAG204, E501
        return 1


    @dg.asset(description="A code of no rule.")
    def payments():  # noqa: DAG999
        return 1


    @dg.asset(description="Prefixes count; other tools' codes are not ours to judge.")
    def fees():
        print("x")  # noqa: DAG7
        return "# noqa: DAG204 (a string, not a comment)"  # noqa: E501


    @dg.asset(description="A rule the run does not enable cannot be judged.")
    def taxes():  # noqa: DAG705
        return 1
    '''
)


def lint(tmp_path, *args):
    (tmp_path / "pyproject.toml").write_text('[tool.dagster-lint]\nignore = ["DAG501"]\n')
    (tmp_path / "assets.py").write_text(MODULE)
    out = io.StringIO()
    with redirect_stdout(out):
        rc = cli.main([str(tmp_path), "--format", "json", "--no-cache", *args])
    return rc, [(f["line"], f["code"], f["message"]) for f in json.loads(out.getvalue())]


def test_off_by_default(tmp_path):
    assert lint(tmp_path) == (0, [])


def test_reports_each_comment_that_suppresses_nothing(tmp_path):
    rc, found = lint(tmp_path, "--extend-select", "DAG002")
    assert rc == 1
    assert [(line, code) for line, code, _ in found] == [(6, "DAG002"), (17, "DAG002")]
    assert found[0][2] == "`DAG204` in this `# noqa` suppresses nothing on this line; remove it"
    assert found[1][2] == "`DAG999` in this `# noqa` names no dagster-lint rule; remove it"


def test_a_comment_is_judged_against_the_findings_before_noqa(tmp_path):
    # With DAG204 off, the comments that name it can no longer be judged: nothing is reported for them.
    _, found = lint(tmp_path, "--extend-select", "DAG002", "--ignore", "DAG204")
    assert [(line, code) for line, code, _ in found] == [(17, "DAG002")]
