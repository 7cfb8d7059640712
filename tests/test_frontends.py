"""pylint and flake8 specifics: buffers from stdin, their own suppression and selection."""

from __future__ import annotations

import subprocess
import sys

from test_cli import BAD, write

EDITED = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
def orders(context):
    """Orders."""
    return 1
'''


def pylint(*args, stdin: str | None = None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=dagster_lint.pylint", "--disable=all",
         # By symbol: enabling a whole checker would also turn on its default-off rules.
         "--enable=partitioned-asset-ignores-partition,missing-description,print-in-asset", "--score=n",
         "--msg-template={line}:{symbol}", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd,
    )


def flake8(*args, stdin: str | None = None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=DAG", "--format=%(row)d:%(code)s", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd,
    )


def lines(proc) -> list[str]:
    return [line for line in proc.stdout.splitlines() if not line.startswith("*")]


def test_pylint_from_stdin_lints_the_buffer_not_the_file(tmp_path):
    path = write(tmp_path / "assets.py", BAD.format(noqa=""))
    proc = pylint("--from-stdin", str(path), stdin=EDITED)
    assert lines(proc) == ["5:partitioned-asset-ignores-partition"]


def test_pylint_disable_by_symbol_option_and_pragma(tmp_path):
    path = write(tmp_path / "assets.py", BAD.format(noqa="# pylint: disable=print-in-asset"))
    assert lines(pylint(str(path))) == ["5:missing-description"]
    assert lines(pylint("--disable=missing-description", str(path))) == []


def test_flake8_noqa_extend_ignore_and_stdin(tmp_path):
    path = write(tmp_path / "assets.py", BAD.format(noqa="# noqa: DAG703"))
    assert lines(flake8(str(path))) == ["5:DAG701"]
    assert lines(flake8("--extend-ignore=DAG701", str(path))) == []
    proc = flake8("-", "--stdin-display-name", "assets.py", stdin=EDITED)
    assert lines(proc) == ["5:DAG204"]


def test_flake8_select_can_enable_a_default_off_rule(tmp_path):
    # Default-off rules are opt-in; naming one in flake8's --select turns it on.
    from dagster_lint.registry import RULES, load_rules

    load_rules()
    off = [c for c, r in RULES.items() if not r.default and r.check is not None]
    if not off:
        return
    path = write(tmp_path / "assets.py", BAD.format(noqa=""))
    proc = flake8(f"--select={off[0]}", str(path))
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr


def test_pylint_enable_turns_on_a_default_off_rule(tmp_path):
    path = write(
        tmp_path / "sensors.py",
        'import dagster as dg\n\n\n@dg.sensor(job_name="nightly", description="Files.")\n'
        "def inbox(context):\n    return dg.SkipReason(\"nothing\")\n",
    )
    base = [sys.executable, "-m", "pylint", "--load-plugins=dagster_lint.pylint", "--score=n",
            "--msg-template={line}:{symbol}"]

    def run(*args):
        return lines(subprocess.run([*base, *args, str(path)], capture_output=True, text=True, cwd=tmp_path))

    assert "5:automation-default-stopped" not in run()  # off by default
    assert run("--disable=all", "--enable=automation-default-stopped") == ["5:automation-default-stopped"]
    assert run("--disable=all", "--enable=C7905") == ["5:automation-default-stopped"]
    # pylint enables every message of a checker named in --enable, the off ones included
    assert run("--disable=all", "--enable=dagster-lint-automation") == ["5:automation-default-stopped"]
