"""Write docs/rules/ from the rule registry; `--check` fails when the checked-in pages are stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dagster_lint.docs import pages

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    wanted = pages()
    existing = {p.name for p in args.out.glob("*.md")} if args.out.exists() else set()
    stale = sorted(
        name for name, text in wanted.items()
        if not (args.out / name).is_file() or (args.out / name).read_text() != text
    )
    extra = sorted(existing - set(wanted))
    if args.check:
        if stale or extra:
            print(f"docs/rules is out of date: stale {stale}, obsolete {extra}; run `python scripts/gen_rule_docs.py`")
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_text(wanted[name])
    for name in extra:
        (args.out / name).unlink()
    print(f"wrote {len(stale)} page(s), removed {len(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
