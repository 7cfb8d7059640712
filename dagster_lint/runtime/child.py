"""Run `loader.py` in the project's interpreter, with a timeout, and read what it wrote.

Whatever goes wrong (a timeout, a crash, no Dagster, unreadable output) comes back as
GraphFacts with an `error`, which the DAG001 check reports: nothing here raises for the
project's faults.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dagster_lint.config import RuntimeOptions
from dagster_lint.runtime.graph import Frame, GraphFacts, LoadError
from dagster_lint.runtime.targets import Target

LOADER = Path(__file__).with_name("loader.py")
_FAULT_FRAME = re.compile(r'^\s*File "(?P<path>.+)", line (?P<line>\d+) in (?P<function>.+)$')
# How long a hung child has to print its stacks after SIGUSR1 before it is killed.
_DUMP_GRACE = 1.0


def load(target: Target, python: str, options: RuntimeOptions, root: Path) -> GraphFacts:
    with tempfile.TemporaryDirectory(prefix="dagster-lint-") as tmp:
        out = Path(tmp) / "facts.json"
        request = {
            "target": target.request(),
            "project_root": str(root),
            "evaluation_time": options.evaluation_time,
            "out": str(out),
        }
        (Path(tmp) / "request.json").write_text(json.dumps(request), encoding="utf-8")
        stdout_path, stderr_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        started = time.perf_counter()
        with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
            try:
                proc = subprocess.Popen(
                    [python, str(LOADER), str(Path(tmp) / "request.json")],
                    cwd=target.working_directory, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                    env=_environment(), start_new_session=sys.platform != "win32",
                )
            except OSError as exc:
                return _failed(target, "crash", f"cannot start `{python}`: {exc.strerror or exc}")
            timed_out = _wait(proc, options.timeout)
        elapsed = time.perf_counter() - started
        err = stderr_path.read_text(encoding="utf-8", errors="replace")
        if timed_out:
            facts = _failed(target, "timeout", f"did not finish within {options.timeout:g} s", _stuck_at(err))
        elif out.is_file():
            try:
                facts = GraphFacts.loads(out.read_text(encoding="utf-8"))
            except (ValueError, KeyError, TypeError) as exc:
                facts = _failed(target, "output", f"wrote results this version cannot read ({exc})")
        else:
            facts = _failed(target, "crash", _crash_message(proc.returncode, err))
        facts.timings["process"] = elapsed
        return facts


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # linting leaves no __pycache__ in the user's project
    env.pop("PYTHONSTARTUP", None)
    return env


def _wait(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for the child; on timeout, ask it for its stacks, then end it and what it started."""
    try:
        proc.wait(timeout=timeout)
        return False
    except subprocess.TimeoutExpired:
        pass
    if hasattr(signal, "SIGUSR1"):
        try:
            proc.send_signal(signal.SIGUSR1)
            proc.wait(timeout=_DUMP_GRACE)
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: only what the load started
        else:  # pragma: no cover
            proc.kill()
    except OSError:
        pass
    proc.wait()
    return True


def _stuck_at(stderr: str) -> list[Frame]:
    """The main thread's stack from faulthandler's dump (most recent call first), innermost last."""
    frames: list[Frame] = []
    block = None
    for line in stderr.splitlines():
        if line.startswith(("Current thread", "Thread ")):
            if block is not None and frames:
                break  # the first block is the thread the signal interrupted: the main thread
            block = line
            continue
        match = _FAULT_FRAME.match(line)
        if block is not None and match:
            frames.append(Frame(match["path"], int(match["line"]), match["function"].strip()))
    return list(reversed(frames))


def _crash_message(returncode: int | None, stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = f" (last line of its output: {lines[-1].strip()[:200]})" if lines else ""
    return f"exited with code {returncode} before writing results{last}"


def _failed(target: Target, stage: str, message: str, frames: list[Frame] | None = None) -> GraphFacts:
    return GraphFacts(target=target.label, complete=False, error=LoadError(stage, message, frames or []))
