"""Time the project index: cold (no cache), warm (cache, nothing changed), warm with one file
changed; on a real project and on a generated one. A script, not a test.

    python benchmarks/bench_index.py [--project DIR] [--files 5000] [--repeat 5] [--out FILE]

The real project is copied to a temporary directory first (the corpus is read-only, and the
one-changed-file run edits a file); the cache lives in that copy. Prints a table and writes
JSON (default: benchmarks/results/index.json).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dagster_lint import __version__
from dagster_lint.project import CACHE_DIR, build_index, project_files

HERE = Path(__file__).resolve().parent
DEFAULT_PROJECT = Path("/work/corpus/project-dagster-university")

_MODULE = '''"""Generated module {i}."""

import dagster as dg

from gen.partitions import daily
{upstream_import}

@dg.asset(partitions_def=daily, group_name="group_{group}")
def asset_{i}_raw(context: dg.AssetExecutionContext):
    """Raw data of table {i}."""
    return context.partition_key


@dg.asset(partitions_def=daily, group_name="group_{group}", deps=[{upstream}"asset_{i}_raw"])
def asset_{i}_clean(context: dg.AssetExecutionContext):
    """Cleaned table {i}."""
    rows = [row for row in range(10) if row % 2]
    context.log.info("cleaned %s rows", len(rows))
    return rows


@dg.asset_check(asset=asset_{i}_clean)
def asset_{i}_clean_not_empty(asset_{i}_clean):
    return dg.AssetCheckResult(passed=bool(asset_{i}_clean))


job_{i} = dg.define_asset_job("job_{i}", selection=[asset_{i}_raw, asset_{i}_clean])
'''


def generate(root: Path, files: int) -> None:
    """A src-layout project of `files` modules in packages of 100, each depending on the
    module before it, all loaded by one `Definitions`."""
    (root / "pyproject.toml").write_text('[project]\nname = "gen"\n')
    src = root / "src" / "gen"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "partitions.py").write_text(
        'import dagster as dg\n\ndaily = dg.DailyPartitionsDefinition(start_date="2024-01-01")\n'
    )
    packages = []
    for i in range(files - 3):
        package = f"pkg_{i // 100}"
        directory = src / package
        if not directory.exists():
            directory.mkdir()
            (directory / "__init__.py").write_text("")
            packages.append(package)
        if i % 100:
            upstream_import = f"from gen.{package}.mod_{i - 1} import asset_{i - 1}_clean\n"
            upstream = f"asset_{i - 1}_clean, "
        else:
            upstream_import, upstream = "", ""
        (directory / f"mod_{i}.py").write_text(
            _MODULE.format(i=i, group=i // 100, upstream_import=upstream_import, upstream=upstream)
        )
    imports = "\n".join(f"from gen import {p}" for p in packages)
    loaders = ", ".join(f"*dg.load_assets_from_package_module({p})" for p in packages)
    checks = ", ".join(f"*dg.load_asset_checks_from_package_module({p})" for p in packages)
    (src / "definitions.py").write_text(
        f"import dagster as dg\n\n{imports}\n\ndefs = dg.Definitions(assets=[{loaders}], asset_checks=[{checks}])\n"
    )


def _timed(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    index = build_index(root)
    return time.perf_counter() - start, len(index.entries)


def measure(root: Path, repeat: int) -> dict:
    """Cold, warm and warm-with-one-change build times (median of `repeat` runs, seconds)."""
    cache = root / CACHE_DIR
    files = list(project_files(root))
    changed = next(f for f in reversed(files) if "dagster" in f.read_text(errors="replace"))
    original = changed.read_text()
    cold, warm, one_changed = [], [], []
    entries = 0
    for i in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        seconds, entries = _timed(root)
        cold.append(seconds)
        warm.append(_timed(root)[0])
        # A real edit: a new line in the file, so that its content hash changes.
        changed.write_text(original + f"\n# edit {i}\n")
        one_changed.append(_timed(root)[0])
        changed.write_text(original)
        _timed(root)  # back to the cached state
    result = {
        "files": len(files),
        "entries": entries,
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "one_changed_s": statistics.median(one_changed),
        "runs": repeat,
    }
    result["one_changed_vs_cold"] = result["one_changed_s"] / result["cold_s"]
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="a real project (copied first)")
    parser.add_argument("--files", type=int, default=5000, help="modules of the generated project")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "index.json")
    args = parser.parse_args(argv)

    results = {}
    with tempfile.TemporaryDirectory(prefix="dagster-lint-bench-") as tmp:
        real = Path(tmp) / args.project.name
        shutil.copytree(args.project, real, ignore=shutil.ignore_patterns(CACHE_DIR, ".git"))
        results[args.project.name] = measure(real, args.repeat)
        generated = Path(tmp) / "generated"
        generated.mkdir()
        generate(generated, args.files)
        results[f"generated-{args.files}"] = measure(generated, args.repeat)

    header = ("project", "files", "indexed", "cold s", "warm s", "1 changed s", "changed/cold")
    print("{:<32} {:>6} {:>7} {:>8} {:>8} {:>12} {:>13}".format(*header))
    for name, r in results.items():
        print(f"{name:<32} {r['files']:>6} {r['entries']:>7} {r['cold_s']:>8.3f} {r['warm_s']:>8.3f} "
              f"{r['one_changed_s']:>12.3f} {r['one_changed_vs_cold']:>12.1%}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "dagster_lint": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
