"""Where the time of a lint run goes: decoding, parsing, the model, each rule.

    .venv/bin/python benchmarks/profile_rules.py [PATH ...] [--top N]

Lints every Python file under PATH (default: the benchmark corpus of bench_lint.py) in one
process, the way the CLI does, and prints the CPU seconds of each phase and of the costliest
rules. Use it before and after a change to a rule; bench_lint.py measures the whole tools.
"""

from __future__ import annotations

import argparse
import collections
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import corpus_files  # noqa: E402

from dagster_lint import model as model_mod  # noqa: E402
from dagster_lint.engine import UnreadableSource, decode, parse  # noqa: E402
from dagster_lint.registry import RULES, load_rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    load_rules()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])  # as the CLI does (runner._fewer_collections)
    files = corpus_files(args.paths or None)
    rules = [r for r in RULES.values() if r.check is not None and r.default and r.mode == "S"]
    phase: collections.Counter[str] = collections.Counter()
    per_rule: collections.Counter[str] = collections.Counter()
    clock = time.process_time
    linted = 0
    for file in files:
        start = clock()
        data = file.read_bytes()
        if b"dagster" not in data:
            phase["read"] += clock() - start
            continue
        try:
            source = decode(data)
        except UnreadableSource:
            continue
        phase["read"] += clock() - start
        start = clock()
        try:
            tree = parse(source, str(file))
        except (SyntaxError, ValueError, RecursionError):
            continue
        phase["parse"] += clock() - start
        start = clock()
        module = model_mod.build(tree, source, str(file))
        phase["model"] += clock() - start
        if not module.definitions and not module.uses_dagster:
            continue
        linted += 1
        for rule in rules:
            start = clock()
            try:
                for _ in rule.check(module):
                    pass
            except Exception:  # noqa: S110 - a crash is the corpus test's business, not this profile's
                pass
            per_rule[rule.code] += clock() - start
        module.release()
    phase["rules"] = sum(per_rule.values())
    print(f"{len(files)} files, {linted} with Dagster code")
    for name, seconds in phase.items():
        print(f"  {name:<6} {seconds:7.2f} s")
    print(f"costliest {args.top} rules:")
    for code, seconds in per_rule.most_common(args.top):
        print(f"  {code} {RULES[code].symbol:<40} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
