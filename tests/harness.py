"""Run files through the three front-ends and read back (path, line, column, code)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
from contextlib import redirect_stdout
from pathlib import Path

from dagster_lint import cli
from dagster_lint.config import config_for
from dagster_lint.registry import RULES, load_rules

Key = tuple[int, int, str]  # (line, 1-based column, code)

_EXPECT = re.compile(r"^#\s*(DAG\d{3}(?:[\s,]+DAG\d{3})*)\s*$")


def expectations(path: Path) -> set[tuple[int, str]]:
    """(line, code) pairs from end-of-line `# DAG204` comments."""
    out = set()
    with open(path, "rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type == tokenize.COMMENT:
                match = _EXPECT.match(tok.string)
                if match:
                    for code in re.split(r"[\s,]+", match.group(1)):
                        out.add((tok.start[0], code))
    return out


def run_cli(paths: list[Path], *extra: str) -> dict[str, set[Key]]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = cli.main([*map(str, paths), "--format", "json", *extra])
    assert rc in (0, 1), f"dagster-lint exited {rc}"
    out: dict[str, set[Key]] = {}
    for item in json.loads(buf.getvalue()):
        out.setdefault(_norm(item["path"]), set()).add((item["line"], item["column"], item["code"]))
    return out


def run_pylint(paths: list[Path], *extra: str, cwd: Path | None = None) -> dict[str, set[Key]]:
    load_rules()
    # Enable in pylint exactly what the project's [tool.dagster-lint] selects, as a user's rc would.
    enabled = config_for(cwd or paths[0]).enabled
    symbols = ",".join(sorted(RULES[c].symbol for c in enabled))
    cmd = [
        sys.executable, "-m", "pylint", "--load-plugins=dagster_lint.pylint", "--disable=all",
        f"--enable={symbols}", "--score=n", "--persistent=n",
        "--msg-template={path}|{line}|{column}|{msg_id}", *extra, *map(str, paths),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr + proc.stdout
    by_msgid = {r.msgid: r.code for r in RULES.values()}
    out: dict[str, set[Key]] = {}
    for line in proc.stdout.splitlines():
        parts = line.split("|")
        if len(parts) == 4 and parts[3] in by_msgid:
            out.setdefault(_norm(parts[0], cwd), set()).add((int(parts[1]), int(parts[2]) + 1, by_msgid[parts[3]]))
    return out


def run_flake8(paths: list[Path], *extra: str, cwd: Path | None = None) -> dict[str, set[Key]]:
    cmd = [
        sys.executable, "-m", "flake8", "--isolated", "--select=DAG",
        "--format=%(path)s|%(row)d|%(col)d|%(code)s", *extra, *map(str, paths),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr + proc.stdout
    out: dict[str, set[Key]] = {}
    for line in proc.stdout.splitlines():
        parts = line.split("|")
        if len(parts) == 4:
            out.setdefault(_norm(parts[0], cwd), set()).add((int(parts[1]), int(parts[2]), parts[3]))
    return out


def _norm(path: str, cwd: Path | None = None) -> str:
    p = Path(path)
    if not p.is_absolute() and cwd is not None:
        p = cwd / p
    return str(p.resolve())
