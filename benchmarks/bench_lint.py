"""How fast dagster-lint is, next to the linters it runs in and beside: one run, one corpus.

    .venv/bin/pip install ruff                 # only for this script, not a test dependency
    .venv/bin/python benchmarks/bench_lint.py [--corpus DIR ...] [--skip-pylint] [--repeat N]

The corpus is every Python file of dagster-community-components (found in the scratch venv
of the team's machine, else installed with `pip install --no-deps --target` under
benchmarks/.corpus/) and of the projects mirrored under /work/corpus/ (CORPUS.md); give
`--corpus DIR` to use other directories. Every tool gets the same explicit list of files and
runs in one process unless said otherwise:

- flake8 with its default checks, without and with the dagster-lint plugin;
- pylint with its default checks, without and with the plugin;
- dagster-lint cold (empty cache), warm (the same run again: nothing changed) and cold with
  `-j 2`;
- `ruff check --no-cache`, for scale (ruff uses every core).

The dagster-lint and ruff lines are each run `--repeat` times (3; each cold run with a new
empty cache) and the run of median CPU time is reported, with every run's seconds in the JSON.
It prints a table with CPU seconds (user + system, the process and its workers), wall
seconds and peak memory (the largest process), then the ratios the project aims at, and
writes it all to benchmarks/results/lint.json. Ratios come from this one run; on a busy
machine CPU seconds are steadier than wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCRATCH_SITE = Path("/work/scratch/corpus-venv/lib/python3.11/site-packages")
MIRRORS = Path("/work/corpus")
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules", "build",
                "dist", ".eggs", ".dagster_lint_cache", ".mypy_cache", ".pytest_cache", ".ruff_cache"}

_COMPILE_PACKAGE = (
    "import compileall, os, dagster_lint; compileall.compile_dir(os.path.dirname(dagster_lint.__file__), quiet=1)"
)

# flake8 without the plugin: the same flake8, told not to load dagster-lint's entry point.
FLAKE8_WITHOUT_PLUGIN = """
import sys
from flake8.plugins import finder
found = finder._find_importlib_plugins
finder._find_importlib_plugins = lambda: (p for p in found() if p.package != "dagster-lint")
from flake8.main.cli import main
sys.exit(main())
"""


def default_corpus() -> list[Path]:
    dcc = SCRATCH_SITE / "dagster_community_components"
    if not dcc.is_dir():
        target = HERE / ".corpus"
        dcc = target / "dagster_community_components"
        if not dcc.is_dir():
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                            "dagster-community-components"], check=True)
    mirrors = sorted(p for p in MIRRORS.iterdir() if p.is_dir()) if MIRRORS.is_dir() else []
    return [dcc, *mirrors]


def corpus_files(roots: list[Path] | None = None) -> list[Path]:
    files = []
    for root in roots or default_corpus():
        for directory, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
            files += [Path(directory) / name for name in sorted(filenames) if name.endswith(".py")]
    return files


def measure(name: str, argv: list[str], cwd: Path) -> dict:
    """Run a command, return its CPU and wall seconds and the peak memory of its largest process."""
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=devnull, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child (and the workers it waited for)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read()
    result = {
        "name": name,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": proc.returncode,
    }
    if b"Traceback" in errors:
        result["traceback"] = errors.decode(errors="replace")[-2000:]
    print(f"  {name:<34} {result['cpu_s']:8.2f} {result['wall_s']:8.2f} {result['peak_rss_mb']:8.1f}", flush=True)
    return result


def run(files: list[Path], *, skip_pylint: bool, repeat: int = 3) -> dict:
    py = sys.executable
    bindir = Path(py).parent
    # Every tool runs from bytecode, as pip leaves an installed package: in an editable checkout
    # under PYTHONDONTWRITEBYTECODE, dagster-lint would otherwise compile its modules at each start.
    subprocess.run([py, "-c", _COMPILE_PACKAGE], check=False, stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="dagster-lint-bench-"))
    listing = [str(f) for f in files]
    cache_dir = work / "cache"
    runs = [
        ("flake8 (default checks)", [py, "-c", FLAKE8_WITHOUT_PLUGIN, "-j", "1", "--exit-zero", *listing]),
        ("flake8 + dagster-lint plugin", [py, "-m", "flake8", "-j", "1", "--exit-zero", *listing]),
    ]
    if not skip_pylint:
        pylint = [py, "-m", "pylint", "-j", "1", "--exit-zero", "--score=n", "--persistent=n"]
        runs += [
            ("pylint (default checks)", [*pylint, *listing]),
            ("pylint + dagster-lint plugin", [*pylint, "--load-plugins=dagster_lint.pylint", *listing]),
        ]
    # The short runs are repeated, each cold one with an empty cache, and their median kept: a
    # few seconds of CPU vary by a tenth on a shared machine, a minute of flake8 averages it out.
    short: list[tuple[str, list[str]]] = []
    for i in range(repeat):
        lint = [str(bindir / "dagster-lint"), "--exit-zero", "--cache-dir", str(cache_dir / str(i))]
        short += [
            ("dagster-lint cold", [*lint, *listing]),
            ("dagster-lint warm (cache)", [*lint, *listing]),
            ("dagster-lint cold -j 2", [*lint[:-1], str(work / f"cache-j2-{i}"), "-j", "2", *listing]),
        ]
    ruff = shutil.which("ruff", path=str(bindir)) or shutil.which("ruff")
    if ruff:
        short += [("ruff check --no-cache", [ruff, "check", "--no-cache", "--exit-zero", "--quiet", *listing])] * repeat
    else:
        print("  (ruff not installed: `pip install ruff` for the scale line)")
    print(f"  {'tool':<34} {'cpu s':>8} {'wall s':>8} {'peak MB':>8}")
    # Every tool runs from an empty directory: no configuration of this repository applies.
    results = {name: measure(name, argv, work) for name, argv in runs}
    samples: dict[str, list[dict]] = {}
    for name, argv in short:
        samples.setdefault(name, []).append(measure(name, argv, work))
    for name, measured in samples.items():
        results[name] = _median(measured)
    if repeat > 1:
        print(f"  (the median of {repeat} runs for dagster-lint and ruff)")
    shutil.rmtree(work, ignore_errors=True)
    return results


def _median(measured: list[dict]) -> dict:
    """The run of median CPU time, with every run's CPU and wall seconds beside it."""
    middle = sorted(measured, key=lambda m: m["cpu_s"])[len(measured) // 2]
    out = dict(middle)
    if len(measured) > 1:
        out["samples_cpu_s"] = [m["cpu_s"] for m in measured]
        out["samples_wall_s"] = [m["wall_s"] for m in measured]
        out["peak_rss_mb"] = max(m["peak_rss_mb"] for m in measured)
    return out


def ratios(r: dict) -> dict:
    def cpu(name: str) -> float | None:
        return r[name]["cpu_s"] if name in r else None

    out = {}
    flake8, flake8_plugin = cpu("flake8 (default checks)"), cpu("flake8 + dagster-lint plugin")
    out["flake8 plugin overhead (target <= 10%)"] = f"{(flake8_plugin - flake8) / flake8:.1%}"
    if "pylint (default checks)" in r:
        pylint, pylint_plugin = cpu("pylint (default checks)"), cpu("pylint + dagster-lint plugin")
        out["pylint plugin overhead (target <= 3%)"] = f"{(pylint_plugin - pylint) / pylint:.1%}"
    cold = cpu("dagster-lint cold")
    out["flake8 / dagster-lint cold, CPU (target >= 10x)"] = f"{flake8 / cold:.1f}x"
    warm = r["dagster-lint warm (cache)"]
    if "ruff check --no-cache" in r:
        ruff = r["ruff check --no-cache"]
        out["dagster-lint warm / ruff --no-cache, wall (target <= 1)"] = f"{warm['wall_s'] / ruff['wall_s']:.2f}"
        out["dagster-lint warm / ruff --no-cache, CPU"] = f"{warm['cpu_s'] / ruff['cpu_s']:.2f}"
    j2 = r["dagster-lint cold -j 2"]
    out["dagster-lint cold wall / cold -j 2 wall"] = f"{r['dagster-lint cold']['wall_s'] / j2['wall_s']:.2f}x"
    lint_peak = max(r[n]["peak_rss_mb"] for n in r if n.startswith("dagster-lint"))
    out["dagster-lint peak memory (target < 300 MB)"] = f"{lint_peak:.0f} MB"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="+", help="directories to lint (default: see the docstring)")
    parser.add_argument("--skip-pylint", action="store_true", help="leave out the two pylint runs (the slowest)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each dagster-lint and ruff line (median kept)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "lint.json")
    args = parser.parse_args()
    roots = args.corpus or default_corpus()
    files = corpus_files(roots)
    lines = sum(f.read_bytes().count(b"\n") for f in files)
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
               "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    print(f"corpus: {len(files)} files, {lines} lines, from {len(roots)} directories; "
          f"{machine['cores']} cores, load {machine['load_average_at_start']}")
    results = run(files, skip_pylint=args.skip_pylint, repeat=max(1, args.repeat))
    summary = ratios(results)
    print()
    for name, value in summary.items():
        print(f"  {name:<58} {value}")
    crashed = [n for n, r in results.items() if "traceback" in r]
    if crashed:
        print(f"tracebacks in: {', '.join(crashed)}", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "machine": machine,
        "corpus": {"roots": [str(r) for r in roots], "files": len(files), "lines": lines},
        "runs": list(results.values()),
        "ratios": summary,
    }, indent=2) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
