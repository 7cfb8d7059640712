"""docs/rules/ is generated from the registry and must be current."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rule_docs_are_current():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/gen_rule_docs.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_rule_has_a_page_and_the_index_links_it():
    from dagster_lint.registry import iter_rules

    index = (ROOT / "docs/rules/README.md").read_text()
    for rule in iter_rules():
        assert (ROOT / "docs/rules" / f"{rule.code}.md").is_file()
        assert f"]({rule.code}.md)" in index
