"""Rule documentation in Markdown, rendered from the registry (CLI `rule`, docs/rules/)."""

from __future__ import annotations

from dagster_lint.registry import CATEGORIES, SEVERITIES, Rule, iter_rules

MODES = {
    "S": "static, one file",
    "P": "static, whole project",
    "R": "runtime (needs `--runtime`)",
    "S,P": "static, one file and whole project",
    "P,R": "static whole project, and runtime",
    "S,R": "static, and runtime",
}

CATEGORY_TITLES = {
    "tool": "The tool itself",
    "lineage": "Lineage and dependencies",
    "partitions": "Partitions",
    "resources": "Resources and configuration",
    "reliability": "Reliability and idempotency",
    "quality": "Data quality, types and tests",
    "performance": "Performance and I/O",
    "observability": "Observability",
    "modernize": "Newer Dagster APIs",
    "automation": "Sensors and schedules",
}


def render_rule(rule: Rule) -> str:
    default = "on by default" if rule.default else "off by default: enable with `extend-select`"
    header = (
        f"# {rule.code} `{rule.symbol}`\n\n"
        f"| code | pylint | severity | mode | default |\n|---|---|---|---|---|\n"
        f"| `{rule.code}` | `{rule.msgid}` / `{rule.symbol}` | {SEVERITIES[rule.severity]} | "
        f"{MODES.get(rule.mode, rule.mode)} | {default} |\n\n"
    )
    return header + rule.doc.strip() + "\n"


def render_index() -> str:
    lines = [
        "# dagster-lint rules",
        "",
        "Generated from the registry by `scripts/gen_rule_docs.py`; do not edit by hand.",
        "`dagster-lint rule CODE` prints the same page in a terminal.",
        "",
    ]
    by_category: dict[str, list[Rule]] = {}
    for rule in iter_rules():
        by_category.setdefault(rule.category, []).append(rule)
    for digit, category in sorted(CATEGORIES.items(), key=lambda item: int(item[0]) or 10):
        rules = by_category.get(category)
        if not rules:
            continue
        lines += [f"## DAG{digit}xx — {CATEGORY_TITLES[category]}", "",
                  "| code | symbol | severity | default | summary |", "|---|---|---|---|---|"]
        for r in rules:
            lines.append(
                f"| [{r.code}]({r.code}.md) | `{r.symbol}` | {SEVERITIES[r.severity]} | "
                f"{'on' if r.default else 'off'} | {r.summary} |"
            )
        lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    out = {"README.md": render_index()}
    for rule in iter_rules():
        out[f"{rule.code}.md"] = render_rule(rule)
    return out
