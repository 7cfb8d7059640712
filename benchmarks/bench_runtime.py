"""Runtime mode on generated projects: what the R analysis costs next to Dagster's own load.

    python benchmarks/bench_runtime.py                      # 1,000 to 10,000 assets
    python benchmarks/bench_runtime.py --sizes 1000 2000 --out /tmp/runtime.json

Each project has N assets in modules of 100, each asset with 5 parents among the assets
before it, partitioned daily, hourly or by a static region list (a third each; parents mostly
share their child's partitioning, some edges cross: hourly -> daily fan-in, static -> daily).
One load per size, in a child process, without the cache. Columns (seconds):

- dagster load: importing the modules (Dagster builds the assets), the Definitions'
  repository and the asset graph: what every Dagster process pays for this code location;
- facts: reading the graph into GraphFacts in the child, of which partitions is evaluating
  Dagster's partition mappings over every downstream partition of each distinct pairing;
- R rules: the runtime checks in the parent, locations included (static project index warm,
  as after the static rules of the same run);
- ratio: (facts + R rules) / dagster load; the goal is at most 1, growing linearly.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dagster_lint.config import RuntimeOptions  # noqa: E402
from dagster_lint.project import build_index  # noqa: E402
from dagster_lint.runtime import child  # noqa: E402
from dagster_lint.runtime.session import Report, run_checks  # noqa: E402
from dagster_lint.runtime.targets import module_target  # noqa: E402

PER_MODULE = 100
PARENTS = 5
KINDS = ("daily", "hourly", "static")

HEADER = '''import dagster as dg

from gen.partitions import daily, hourly, regions
'''
PARTITIONS = '''import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
regions = dg.StaticPartitionsDefinition(["eu", "us", "apac"])
'''
ASSET = '''

@dg.asset(partitions_def={kind}, deps=[{deps}])
def {name}(context: dg.AssetExecutionContext) -> None:
    context.log.info(context.partition_key)
'''


def generate(directory: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    package = directory / "gen"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "partitions.py").write_text(PARTITIONS)
    (directory / "pyproject.toml").write_text('[tool.dagster]\nmodule_name = "gen.definitions"\n')
    kinds = [KINDS[i % 3] for i in range(n)]
    by_kind: dict[str, list[int]] = {k: [] for k in KINDS}
    modules = []
    for start in range(0, n, PER_MODULE):
        lines = [HEADER]
        for i in range(start, min(start + PER_MODULE, n)):
            kind = kinds[i]
            parents = set()
            for _ in range(PARENTS if i >= PARENTS else i):
                same = by_kind[kind]
                # Mostly the same partitioning; hourly and static parents of daily children cross.
                pool = same if (kind != "daily" or rng.random() < 0.9) else by_kind[rng.choice(("hourly", "static"))]
                pool = pool or same or list(range(i))
                if pool:
                    parents.add(rng.choice(pool[-200:]))
            deps = ", ".join(f'"a{p}"' for p in sorted(parents))
            lines.append(ASSET.format(kind={"daily": "daily", "hourly": "hourly", "static": "regions"}[kind],
                                      deps=deps, name=f"a{i}"))
            by_kind[kind].append(i)
        name = f"m{start // PER_MODULE:03d}"
        (package / f"{name}.py").write_text("".join(lines))
        modules.append(name)
    (package / "definitions.py").write_text(
        "import dagster as dg\n\nfrom gen import " + ", ".join(modules) + "\n\n"
        "defs = dg.Definitions(assets=dg.load_assets_from_modules([" + ", ".join(modules) + "]))\n"
    )


def measure(n: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-runtime-{n}-") as tmp:
        root = Path(tmp)
        generate(root, n)
        options = RuntimeOptions(enabled=True, timeout=timeout)
        target = module_target("gen.definitions", root)
        facts = child.load(target, sys.executable, options, root)
        if facts.error is not None:
            raise SystemExit(f"{n} assets: the load failed: {facts.error.message}")
        build_index(root)  # the static rules' index, as a CLI run has it before the R rules
        started = time.perf_counter()
        report = Report(root)
        run_checks(facts, options, root, report)
        rules = time.perf_counter() - started
        t = facts.timings
        load = t["import"] + t["definitions"] + t["graph"]
        return {
            "assets": len(facts.assets),
            "edges": len(facts.edges),
            "findings": sum(len(f) for f in report.findings.values()),
            "dagster_load_s": round(load, 3),
            "facts_s": round(t["facts"], 3),
            "partitions_s": round(t["partitions"], 3),
            "rules_s": round(rules, 3),
            "process_s": round(t["process"], 3),
            "ratio": round((t["facts"] + rules) / load, 3),
        }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "runtime.json")
    args = parser.parse_args(argv)
    import dagster

    rows = []
    print(f"{'assets':>7} {'edges':>7} {'findings':>8} {'dagster load':>12} {'facts':>7} {'partitions':>10} "
          f"{'R rules':>8} {'ratio':>6}")
    for n in args.sizes:
        row = measure(n, args.timeout)
        rows.append(row)
        print(f"{row['assets']:>7} {row['edges']:>7} {row['findings']:>8} {row['dagster_load_s']:>12.2f} "
              f"{row['facts_s']:>7.2f} {row['partitions_s']:>10.2f} {row['rules_s']:>8.2f} {row['ratio']:>6.2f}",
              flush=True)
    first, last = rows[0], rows[-1]
    scale = last["assets"] / first["assets"]
    growth = {k: round(last[k] / first[k], 2) if first[k] else None for k in ("dagster_load_s", "facts_s", "rules_s")}
    print(f"growth from {first['assets']} to {last['assets']} assets (x{scale:g}): {growth}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "python": platform.python_version(), "dagster": dagster.__version__, "machine": platform.machine(),
        "rows": rows, "growth": growth,
    }, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
