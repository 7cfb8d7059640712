"""A module's model and tree are freed as soon as its rules are done, without the cycle collector.

Left to the collector (which the front-ends run less often, for speed), every tree of a large run
stays alive at once: a reference cycle through a model costs hundreds of megabytes on a corpus.
"""

from __future__ import annotations

import gc
from pathlib import Path

from dagster_lint.engine import lint_source
from dagster_lint.model import ModuleModel
from dagster_lint.registry import RULES, load_rules

FIXTURES = Path(__file__).parent / "fixtures"


def test_no_model_outlives_its_lint_without_the_cycle_collector():
    load_rules()
    every_rule = set(RULES)
    sources = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.rglob("dag*.py"))]
    gc.collect()
    gc.disable()
    try:
        findings = sum(len(lint_source(source, path, enabled=every_rule)) for path, source in sources)
        alive = [o for o in gc.get_objects() if isinstance(o, ModuleModel)]
    finally:
        gc.enable()
    assert findings > 0
    assert alive == [], f"{len(alive)} of {len(sources)} models kept alive, e.g. {alive[0].path}"
