"""The `dagster-lint` command as a user runs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from dagster_lint import __version__, cli

BAD = '''import dagster as dg


@dg.asset
def orders():
    print("loading")  {noqa}
    return 1
'''


def run(args, stdin: bytes | None = None, cwd: Path | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        if cwd is not None:
            monkeypatch.chdir(cwd)
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main([str(a) for a in args])
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_text_format_is_sorted_path_line_col_code(tmp_path):
    write(tmp_path / "b.py", BAD.format(noqa=""))
    write(tmp_path / "a.py", BAD.format(noqa=""))
    rc, out, err = run([tmp_path])
    assert rc == 1
    lines = out.splitlines()
    assert lines == sorted(
        lines, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2]))
    )
    assert lines[0] == (
        f"{tmp_path / 'a.py'}:5:1: DAG701 asset `orders` has no description; "
        "add a docstring or `description=` so the Dagster UI says what it is"
    )
    assert any(":6:5: DAG703 " in line for line in lines)
    assert "Found 4 findings in 2 files." in err


def test_json_format_keys_and_one_based_columns(tmp_path):
    write(tmp_path / "a.py", BAD.format(noqa=""))
    rc, out, _ = run([tmp_path / "a.py", "--format", "json", "--select", "DAG703"])
    assert rc == 1
    (item,) = json.loads(out)
    assert item == {
        "code": "DAG703",
        "symbol": "print-in-asset",
        "severity": "convention",
        "message": item["message"],
        "path": str(tmp_path / "a.py"),
        "line": 6,
        "column": 5,
        "end_line": 6,
        "end_column": 21,
        "fixable": False,
    }


def test_clean_exit_zero_and_no_output(tmp_path):
    write(tmp_path / "a.py", 'import dagster as dg\n\n\n@dg.asset\ndef orders():\n    """Orders."""\n    return 1\n')
    assert run([tmp_path]) == (0, "", "")


def test_noqa_specific_bare_and_other_code(tmp_path):
    write(tmp_path / "specific.py", BAD.format(noqa="# noqa: DAG703"))
    write(tmp_path / "bare.py", BAD.format(noqa="# noqa"))
    write(tmp_path / "other.py", BAD.format(noqa="# noqa: DAG701"))
    _, out, _ = run([tmp_path, "--select", "DAG703"])
    assert "other.py:6:5: DAG703" in out
    assert "specific.py" not in out and "bare.py" not in out


def test_select_ignore_extend_select(tmp_path):
    write(tmp_path / "a.py", BAD.format(noqa=""))
    _, out, _ = run([tmp_path, "--ignore", "DAG7"])
    assert out == ""
    _, out, _ = run([tmp_path, "--select", "DAG701"])
    assert [line.split()[1] for line in out.splitlines()] == ["DAG701"]
    _, out, _ = run([tmp_path, "--select", "print-in-asset"])
    assert [line.split()[1] for line in out.splitlines()] == ["DAG703"]


def test_unknown_code_is_a_usage_error(tmp_path):
    rc, out, err = run([tmp_path, "--select", "DAG999"])
    assert rc == 2 and out == ""
    assert "DAG999" in err and "matches no rule" in err


def test_missing_path_is_a_usage_error(tmp_path):
    rc, _, err = run([tmp_path / "nope"])
    assert rc == 2 and "no such file or directory" in err


def test_stdin_with_stdin_filename(tmp_path, monkeypatch):
    rc, out, _ = run(["-", "--stdin-filename", "pipeline/assets.py"], stdin=BAD.format(noqa="").encode(),
                     cwd=tmp_path, monkeypatch=monkeypatch)
    assert rc == 1
    assert out.splitlines()[0].startswith("pipeline/assets.py:5:1: DAG701 ")


def test_directories_recurse_but_skip_virtualenvs_and_vcs(tmp_path):
    for skipped in (".venv/lib/x.py", ".git/hooks/x.py", "node_modules/x/x.py", "build/lib/x.py", "pkg.egg-info/x.py"):
        write(tmp_path / skipped, BAD.format(noqa=""))
    write(tmp_path / "src/pkg/deep/assets.py", BAD.format(noqa=""))
    _, out, _ = run([tmp_path, "--select", "DAG703"])
    found = [Path(line.split(":")[0]).relative_to(tmp_path).as_posix() for line in out.splitlines()]
    assert found == ["src/pkg/deep/assets.py"]


def test_syntax_error_is_one_dag000_and_the_run_goes_on(tmp_path):
    write(tmp_path / "broken.py", "import dagster as dg\n\n@dg.asset\ndef orders(:\n    return 1\n")
    write(tmp_path / "ok.py", BAD.format(noqa=""))
    rc, out, _ = run([tmp_path, "--select", "DAG703"])
    assert rc == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'broken.py'}:4:12: DAG000 cannot parse the file: invalid syntax")
    assert lines[1].startswith(f"{tmp_path / 'ok.py'}:6:5: DAG703")
    assert "Traceback" not in out


def test_undecodable_bytes_are_one_dag000(tmp_path):
    write(tmp_path / "latin.py", b"import dagster as dg\n# caf\xe9\n")
    write(tmp_path / "declared.py", b"# -*- coding: latin-1 -*-\nimport dagster as dg\n# caf\xe9\n")
    write(tmp_path / "bom.py", b"\xef\xbb\xbfimport dagster as dg\r\n\r\n@dg.asset\r\ndef x():\r\n    print(1)\r\n")
    rc, out, _ = run([tmp_path, "--select", "DAG000,DAG703"])
    assert rc == 1
    lines = out.splitlines()
    assert lines == [
        f"{tmp_path / 'bom.py'}:5:5: DAG703 " + lines[0].split(" DAG703 ", 1)[1],
        f"{tmp_path / 'latin.py'}:1:1: DAG000 cannot decode the file as utf-8 at line 2 (byte 0xe9); "
        "save it as UTF-8 or declare its encoding",
    ]


def test_files_that_are_not_dagster_code_have_no_findings():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names = ("json", "email", "asyncio", "unittest", "logging", "concurrent", "http", "xml", "importlib", "urllib")
    dirs = [stdlib / name for name in names if (stdlib / name).is_dir()]
    files = [f for d in dirs for f in d.rglob("*.py")]
    assert len(files) >= 100
    rc, out, err = run([*dirs, "--select", "DAG"])
    assert (rc, out) == (0, "")


def test_list_rules_and_version_and_rule_docs():
    rc, out, _ = run(["--list-rules"])
    assert rc == 0
    assert ["DAG204", "E7204", "E", "S", "on", "partitioned-asset-ignores-partition"] in [
        line.split()[:6] for line in out.splitlines()
    ]
    proc = subprocess.run([sys.executable, "-m", "dagster_lint.cli", "--version"], capture_output=True, text=True)
    assert proc.stdout.strip() == f"dagster-lint {__version__}"
    rc, out, _ = run(["rule", "DAG204"])
    assert rc == 0 and "## Why is this bad?" in out and "partitioned-asset-ignores-partition" in out
    assert run(["rule", "DAG999"])[0] == 2


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "dagster-lint"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`dagster-lint ... | head -1`: the pipe closes while the findings are written."""
    fixtures = Path(__file__).parent / "fixtures"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dagster_lint.cli", str(fixtures), "--format", "json", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout.readline().strip() == b"["
    proc.stdout.close()  # more than a pipe's buffer is still to come
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
