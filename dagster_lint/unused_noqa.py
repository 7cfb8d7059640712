"""DAG002: `# noqa: DAGxxx` comments that suppress nothing (the CLI's check of its own pragmas).

pylint has `useless-suppression` and flake8 users have their own tools for this; the CLI is the
one front-end that applies `# noqa` itself, so it is the one that can tell which were needed.
"""

from __future__ import annotations

import io
import tokenize
from typing import Collection, Iterable

from dagster_lint.engine import _NOQA, lint_source, noqa_codes
from dagster_lint.registry import RULES, Finding, declare

CODE = "DAG002"

declare(
    CODE,
    "unused-noqa",
    "C",
    "{detail}",
    """A `# noqa: DAGxxx` comment that suppresses nothing.

    ## What it does
    Reports a `# noqa` comment that names dagster-lint codes (`# noqa: DAG204`, or a prefix
    such as `DAG2`) when none of them matches a finding on its line: the code was fixed, the
    line moved, or the code is misspelled. A code of a rule that is not enabled in the run is
    not reported (nothing can be said about it), nor is a bare `# noqa` or a code of another
    tool (`E501`). Runs in the `dagster-lint` command only; off by default.

    ## Why is this bad?
    A stale suppression hides the next real finding on that line, and readers take it as a
    sign that something there needs one.

    ## Example
    ```python
    @dg.asset(partitions_def=daily)
    def orders(context):  # noqa: DAG204
        return load(context.partition_key)
    ```

    ## Use instead
    ```python
    @dg.asset(partitions_def=daily)
    def orders(context):
        return load(context.partition_key)
    ```
    """,
    default=False,
)


def unused_noqa(source: str, path: str, enabled: Collection[str], extra: Iterable[Finding] = ()) -> list[Finding]:
    """DAG002 findings of one module: its rules are run again without `# noqa` (only for a
    module whose comments name dagster-lint codes). `extra`: findings from elsewhere that
    the comments may suppress too (runtime mode)."""
    comments = _dagster_noqa_comments(source)
    if not comments:
        return []
    found: dict[int, set[str]] = {}
    for f in [*lint_source(source, path, enabled=set(enabled) - {CODE}), *extra]:
        found.setdefault(f.line, set()).add(f.code)
    out = []
    for line, col, codes in comments:
        here = found.get(line, set())
        unused = [c for c in codes if _judgeable(c, enabled) and not any(code.startswith(c) for code in here)]
        if unused:
            listed = ", ".join(f"`{c}`" for c in unused)
            what = ("names no dagster-lint rule" if all(_unknown(c) for c in unused)
                    else "suppresses nothing on this line")
            out.append(Finding(CODE, line, col, f"{listed} in this `# noqa` {what}; "
                                                f"remove {'it' if len(unused) == 1 else 'them'}"))
    return out


def _dagster_noqa_comments(source: str) -> list[tuple[int, int, list[str]]]:
    """(line, column, DAG codes) of each real `# noqa: ...` comment (not text in a string)."""
    if "noqa" not in source.lower() or "DAG" not in source.upper():
        return []
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type != tokenize.COMMENT or _NOQA.search(tok.string) is None:
                continue
            codes = sorted(c for c in noqa_codes(tok.string) or () if c.startswith("DAG"))
            if codes:
                out.append((tok.start[0], tok.start[1], codes))
    except (tokenize.TokenError, SyntaxError):
        return []
    return out


def _unknown(code: str) -> bool:
    return not any(c.startswith(code) for c in RULES)


def _judgeable(code: str, enabled: Collection[str]) -> bool:
    """A code whose findings this run would have seen: it names no rule at all, or only
    enabled rules that run on source (not runtime-only ones)."""
    if _unknown(code):
        return True
    named = [c for c in RULES if c.startswith(code)]
    return all(c in enabled and RULES[c].mode != "R" for c in named)
