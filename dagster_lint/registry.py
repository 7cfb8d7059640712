"""Rules and findings: every rule is declared once here and read by every front-end."""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from dagster_lint.fixplan import Fix
    from dagster_lint.model import ModuleModel

SEVERITIES = {"E": "error", "W": "warning", "C": "convention", "R": "refactor", "F": "fatal"}

CATEGORIES = {
    "0": "tool",
    "1": "lineage",
    "2": "partitions",
    "3": "resources",
    "4": "reliability",
    "5": "quality",
    "6": "performance",
    "7": "observability",
    "8": "modernize",
    "9": "automation",
}

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")

_CODE = re.compile(r"^DAG\d{3}$")


@dataclass(frozen=True)
class Finding:
    """One report. Lines are 1-based, columns 0-based (as in `ast`).

    `fix`: the rewrite `dagster-lint --fix` can apply; it is not part of the finding's identity.
    """

    code: str
    line: int
    col: int
    message: str
    end_line: int | None = None
    end_col: int | None = None
    fix: Fix | None = field(default=None, compare=False, repr=False)

    @property
    def rule(self) -> Rule:
        return RULES[self.code]


class Violation:
    """What a rule yields: a node (or an explicit position), the values for its message, and
    optionally the fix plan (`autofix=`, kept apart from the message values)."""

    __slots__ = ("node", "args", "line", "col", "end_line", "end_col", "fix")

    def __init__(
        self,
        node: ast.AST | None = None,
        *,
        line: int | None = None,
        col: int | None = None,
        autofix: Fix | None = None,
        **args: object,
    ):
        self.node = node
        self.args = args
        self.fix = autofix
        self.line = line if line is not None else getattr(node, "lineno", 1)
        self.col = col if col is not None else getattr(node, "col_offset", 0)
        explicit = line is not None
        self.end_line: int | None = None if explicit else getattr(node, "end_lineno", None)
        self.end_col: int | None = None if explicit else getattr(node, "end_col_offset", None)


Check = Callable[["ModuleModel"], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    code: str
    symbol: str
    severity: str
    mode: str
    default: bool
    message: str
    check: Check | None
    doc: str

    @property
    def category(self) -> str:
        return CATEGORIES[self.code[3]]

    @property
    def msgid(self) -> str:
        return f"{self.severity}7{self.code[3:]}"

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def finding(self, violation: Violation) -> Finding:
        return Finding(
            code=self.code,
            line=violation.line,
            col=violation.col,
            message=self.message.format(**violation.args),
            end_line=violation.end_line,
            end_col=violation.end_col,
            fix=violation.fix,
        )


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    symbol: str,
    severity: str,
    message: str,
    *,
    mode: str = "S",
    default: bool = True,
) -> Callable[[Check], Check]:
    """Declare a rule. The decorated function's docstring is the rule's documentation."""

    def register(check: Check) -> Check:
        _register(code, symbol, severity, message, mode=mode, default=default, check=check, doc=check.__doc__ or "")
        return check

    return register


def declare(
    code: str, symbol: str, severity: str, message: str, doc: str, *, mode: str = "S", default: bool = True
) -> None:
    """Declare a code that the engine itself reports (no check function)."""
    _register(code, symbol, severity, message, mode=mode, default=default, check=None, doc=doc)


def _register(code, symbol, severity, message, *, mode, default, check, doc, provisional=False) -> None:
    if not _CODE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r} for {code}")
    if code in RULES:
        if provisional:
            return  # the static rule is already declared; the runtime part attaches to it
        if code not in _PROVISIONAL:
            raise ValueError(f"rule {code} declared twice")
        _PROVISIONAL.discard(code)
        del RULES[code]
    elif provisional:
        _PROVISIONAL.add(code)
    if any(r.symbol == symbol for r in RULES.values()):
        raise ValueError(f"symbol {symbol} declared twice")
    RULES[code] = Rule(code, symbol, severity, mode, default, message, check, inspect.cleandoc(doc))
    if code in RUNTIME:
        _attach(code)


# ----------------------------------------------------------------------------- runtime parts
# A code can have a runtime (R) part: a check over the GraphFacts of the loaded `Definitions`
# (dagster_lint.runtime), with its own message. It attaches to the code's one declaration, so a
# P rule and its R twin share code, symbol and docs, and the mode string says both ("P,R").


@dataclass(frozen=True)
class RuntimePart:
    code: str
    message: str
    check: Callable[..., Iterable[object]]
    doc: str  # the "## Runtime mode" section of the rule's docs

    def format(self, args: dict) -> str:
        return self.message.format(**args)


RUNTIME: dict[str, RuntimePart] = {}
# Codes declared by `runtime_rule(provisional=True)`: their static (P) rule is written elsewhere;
# its `@rule` replaces the declaration, whichever registers first, and keeps the runtime part.
_PROVISIONAL: set[str] = set()


def runtime_check(code: str, message: str) -> Callable:
    """Attach a runtime check to a declared code. The docstring is its "Runtime mode" section."""

    def register(check):
        if code not in RULES:
            raise ValueError(f"runtime check for {code}, which is not declared")
        _add_runtime(code, message, check, check.__doc__ or "")
        return check

    return register


def runtime_rule(
    code: str, symbol: str, severity: str, message: str, *, default: bool = True, provisional: bool = False
) -> Callable:
    """Declare a code whose check runs on the loaded `Definitions` (the docstring is its docs).

    `provisional=True`: the code also gets a static rule in another module; that `@rule` takes
    over the declaration (its docs first, then this docstring's "## Runtime mode" section).
    """

    def register(check):
        doc = inspect.cleandoc(check.__doc__ or "")
        _register(code, symbol, severity, message, mode="R", default=default, check=None, doc=doc,
                  provisional=provisional)
        section = doc.split("## Runtime mode", 1)[1] if "## Runtime mode" in doc else ""
        _add_runtime(code, message, check, section)
        return check

    return register


def _add_runtime(code: str, message: str, check, doc: str) -> None:
    if code in RUNTIME:
        raise ValueError(f"runtime check for {code} declared twice")
    RUNTIME[code] = RuntimePart(code, message, check, inspect.cleandoc(doc))
    _attach(code)


def _attach(code: str) -> None:
    rule, part = RULES[code], RUNTIME[code]
    modes = set(rule.mode.split(",")) | {"R"}
    mode = ",".join(m for m in ("S", "P", "R") if m in modes)
    doc = rule.doc
    if part.doc and "## Runtime mode" not in doc:
        doc = f"{doc}\n\n## Runtime mode\n{part.doc}"
    RULES[code] = replace(rule, mode=mode, doc=doc)


def rules_by_symbol() -> dict[str, Rule]:
    return {r.symbol: r for r in RULES.values()}


def iter_rules() -> Iterator[Rule]:
    load_rules()
    for code in sorted(RULES):
        yield RULES[code]


_loaded = False


def load_rules() -> dict[str, Rule]:
    """Import every rule module once, so that the registry is complete."""
    global _loaded
    if not _loaded:
        import dagster_lint.rules  # noqa: F401  (registers on import)
        import dagster_lint.runtime.rules  # noqa: F401  (runtime parts attach to the codes above)
        import dagster_lint.unused_noqa  # noqa: F401  (DAG002, which the CLI runs)

        _loaded = True
    return RULES


declare(
    "DAG000",
    "dagster-lint-error",
    "E",
    "{detail}",
    """Reports a file dagster-lint could not read, or a rule that failed on it.

    ## What it does
    Reports, once per file, that the file could not be parsed (syntax error), could not be
    decoded (bytes that are not valid in the declared encoding), or that one rule raised an
    internal error on it: then the finding names the rule and sits on the `def` line of the
    definition the rule was checking, and the other rules still report. A broken
    `[tool.dagster-lint]` configuration is one DAG000 per pylint or flake8 run (the CLI stops
    with exit code 2 instead).

    ## Why is this bad?
    A file the linter cannot read is a file nobody checked. A syntax error also fails
    Dagster's code location load.

    ## Example
    ```python
    @dg.asset
    def orders(:
        ...
    ```

    ## Use instead
    Fix the syntax or the encoding (save the file as UTF-8, or declare its encoding with a
    `# -*- coding: ... -*-` line). For an internal error, please report the rule and the
    smallest file that triggers it.
    """,
)
