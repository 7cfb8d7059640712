"""Run the enabled rules over one module and return findings. Shared by every front-end."""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import os
import re
import tokenize
import warnings
from typing import Collection, Iterable

from dagster_lint import handover
from dagster_lint import model as model_mod
from dagster_lint.registry import RULES, Finding, Rule, load_rules

# The cheap pre-filter: a module that never says "dagster" defines nothing Dagster loads.
_MARKER = "dagster"


class UnreadableSource(Exception):
    """The bytes of a file cannot be decoded; the message says why."""


def decode(data: bytes) -> str:
    """Decode a source file as Python does (PEP 263 cookie, BOM, default UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise UnreadableSource(f"cannot read the file: {exc.msg}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        where = ""
        if isinstance(exc, UnicodeDecodeError):
            line = data.count(b"\n", 0, exc.start) + 1
            where = f" at line {line} (byte 0x{data[exc.start]:02x})"
        raise UnreadableSource(
            f"cannot decode the file as {encoding}{where}; save it as UTF-8 or declare its encoding"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(source: str, path: str) -> ast.Module:
    with warnings.catch_warnings():
        # Invalid escape sequences in user code are the user's business, not a lint crash.
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=path)


def syntax_error_finding(exc: SyntaxError) -> Finding:
    line = exc.lineno or 1
    col = max((exc.offset or 1) - 1, 0)
    return Finding("DAG000", line, col, f"cannot parse the file: {exc.msg} (line {line}); no rule ran on it")


@contextlib.contextmanager
def fewer_collections():
    """Parsing and modelling allocate objects by the million, and each allocation counts towards
    the next run of the cycle collector, which then scans the trees being built (and in pylint
    and flake8, the trees they hold). Trees have no cycles and the engine frees each model at
    once (ModuleModel.release), so collecting ten times less often costs no memory and saves
    about a sixth of the time. The front-ends lint under this."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GEN0_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


GEN0_THRESHOLD = 10_000


def lint_source(
    source: str,
    path: str = "<unknown>",
    *,
    enabled: Collection[str] | None = None,
    tree: ast.Module | None = None,
) -> list[Finding]:
    """Findings of the `enabled` rules (default: the default-on ones) for one module's text.

    A syntax error becomes one DAG000 finding. `tree` lets a front-end that already parsed the
    module (flake8) skip the second parse.
    """
    by_rule = findings_by_rule(source, path, enabled=enabled, tree=tree)
    return sorted((f for found in by_rule.values() for f in found), key=_order)


def findings_by_rule(
    source: str,
    path: str = "<unknown>",
    *,
    enabled: Collection[str] | None = None,
    tree: ast.Module | None = None,
) -> dict[str, list[Finding]]:
    """The findings of `lint_source` by the code of the rule that produced them (its internal
    errors included; a rule that found nothing has no entry); "" holds those about the whole
    file (it cannot be parsed, say)."""
    load_rules()
    if _MARKER not in source:
        return {}
    by_rule = _findings_by_rule(source, path, enabled, tree)
    if enabled is not None:  # a rule's internal error shows when DAG000 is enabled; a file's always
        for code, found in by_rule.items():
            if code and any(f.code not in enabled for f in found):
                by_rule[code] = [f for f in found if f.code in enabled]
    return by_rule


def _findings_by_rule(source, path, enabled, tree) -> dict[str, list[Finding]]:
    rules = _rules_to_run(enabled)
    wants_project = any("P" in r.mode for r in rules)
    module = None
    if tree is None:
        if wants_project:
            _index_first(path)  # the index models this module too: take its model (see handover.py)
        module = handover.take(path, source)
    if module is None:
        built = _build(source, path, tree)
        if isinstance(built, dict):
            return built
        module = built
    if not module.definitions and not module.uses_dagster:
        module.release()
        return {}
    by_rule: dict[str, list[Finding]] = {}
    if wants_project:
        try:
            module.project = _project_view(path, module)
        except Exception as exc:  # the project rules see no project (and stay silent); the others run
            by_rule[""] = [_tool_error("while indexing the project", exc, "the project rules did not run")]
    try:
        for rule in rules:
            found = run_rules(module, [rule])
            if found:
                by_rule[rule.code] = found
    finally:
        module.release()
    return by_rule


def _build(source: str, path: str, tree: ast.Module | None) -> model_mod.ModuleModel | dict[str, list[Finding]]:
    """The model of the module, or the finding about the whole file that stops the analysis."""
    if tree is None:
        try:
            tree = parse(source, path)
        except SyntaxError as exc:
            return {"": [syntax_error_finding(exc)]}
        except (ValueError, RecursionError, MemoryError) as exc:
            return {"": [Finding("DAG000", 1, 0, f"cannot parse the file: {exc}; no rule ran on it")]}
    try:
        return model_mod.build(tree, source, path)
    except RecursionError:
        return {"": [Finding("DAG000", 1, 0, "the file is nested too deeply to analyse; no rule ran on it")]}
    except Exception as exc:  # a bug in the model must not take the front-end down
        return {"": [_tool_error("while reading the module", exc, "no rule ran on it")]}


def _index_first(path: str) -> None:
    """Build the project index before the module's model: see handover.py."""
    from dagster_lint.project import index_for

    if path in ("-", "stdin", "<stdin>", "<unknown>") or not handover.expecting():
        return
    try:
        index_for(path)
    except Exception:  # the project view asks again below, and reports the failure
        pass


def _project_view(path: str, module: model_mod.ModuleModel):
    """The project index seen from this module, with this module's text (which may be unsaved)."""
    from pathlib import Path

    from dagster_lint.project import index_for

    if path in ("-", "stdin", "<stdin>", "<unknown>"):
        return None
    try:
        index = index_for(path)
    except (OSError, RecursionError):
        return None
    return index.with_module(Path(path).resolve(), module) if index is not None else None


def run_rules(module: model_mod.ModuleModel, rules: Iterable[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        try:
            for violation in rule.check(module):
                findings.append(rule.finding(violation))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            findings.append(internal_error(rule, exc))
    return findings


def internal_error(rule: Rule, exc: Exception) -> Finding:
    """One DAG000 for a rule that raised, on the definition (else the node) it was checking when
    its frames show one, naming the rule and the line of dagster-lint's code that failed."""
    definition, node, where = _failure_site(exc)
    line, subject = 1, ""
    if definition is not None:
        line, subject = definition.line, f" on {definition.kind.replace('_', ' ')} `{definition.name}`"
    elif node is not None:
        line, subject = node.lineno, f" on line {node.lineno}"
    return Finding(
        "DAG000",
        line,
        0,
        f"internal error in rule {rule.code} ({rule.symbol}){subject}: {_describe(exc)}{where}; "
        "the other rules still ran. Please report this with the file.",
    )


def internal_failure(exc: Exception) -> Finding:
    """A DAG000 for an error outside any rule, where a front-end would otherwise show a traceback."""
    return _tool_error("while linting the file", exc, "no rule ran on it")


def _tool_error(doing: str, exc: Exception, consequence: str) -> Finding:
    _, _, where = _failure_site(exc)
    message = f"internal error {doing}: {_describe(exc)}{where}; {consequence}. Please report this with the file."
    return Finding("DAG000", 1, 0, message)


def _failure_site(exc: BaseException) -> tuple[model_mod.Definition | None, ast.AST | None, str]:
    """The innermost Definition and AST node held by the frames that raised, and where in
    dagster-lint's code the exception came from."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    definition = node = None
    where = ""
    for tb in reversed(frames):  # innermost first
        code = tb.tb_frame.f_code
        if code.co_filename == __file__:
            continue
        if not where and _PACKAGE_DIR in code.co_filename:
            module = code.co_filename.rsplit(_PACKAGE_DIR, 1)[1].replace(os.sep, "/")
            where = f" (at dagster_lint/{module}:{tb.tb_lineno})"
        for value in tb.tb_frame.f_locals.values():
            if definition is None and isinstance(value, model_mod.Definition):
                definition = value
            elif node is None and isinstance(getattr(value, "lineno", None), int) and isinstance(value, ast.AST):
                node = value
        if definition is not None:
            break
    return definition, node, where


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _rules_to_run(enabled: Collection[str] | None) -> list[Rule]:
    if enabled is None:
        enabled = [c for c, r in RULES.items() if r.default]
    return [RULES[c] for c in sorted(enabled) if c in RULES and RULES[c].check is not None and RULES[c].mode != "R"]


def _order(f: Finding) -> tuple[int, int, str]:
    return (f.line, f.col, f.code)


# ----------------------------------------------------------------------------- noqa
# The same grammar as flake8's, so that one comment serves both tools.
_NOQA_WORD = re.compile("noqa", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def noqa_codes(line_text: str) -> frozenset[str] | None:
    """None: no noqa. Empty set: a bare `# noqa` (everything). Otherwise the codes listed."""
    match = _NOQA.search(line_text)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c)


def apply_noqa(findings: list[Finding], source: str) -> list[Finding]:
    if not findings or ("noqa" not in source and not _NOQA_WORD.search(source)):
        return findings
    lines = model_mod.source_lines(source)
    kept = []
    for f in findings:
        text = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        codes = noqa_codes(text)
        if codes is None or (codes and not any(f.code.startswith(c) for c in codes)):
            kept.append(f)
    return kept
