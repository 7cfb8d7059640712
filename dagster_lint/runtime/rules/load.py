"""DAG001: the Definitions could not be loaded, or loading them wrote to stdout."""

from __future__ import annotations

from dagster_lint.registry import runtime_rule
from dagster_lint.runtime.rules._common import Graph, hit
from dagster_lint.runtime.rules.explain import explained_failure

_WHAT = {
    "version": "cannot load it:",
    "import": "importing it raised",
    "definitions": "building its `Definitions` raised",
    "graph": "resolving its asset graph raised",
    "exit": "loading it stopped:",
    "timeout": "loading it",
    "crash": "the loading process",
    "output": "the loading process",
}


@runtime_rule(
    "DAG001",
    "definitions-load-failed",
    "E",
    "runtime mode could not check `{target}`: {what} {cause}{where}; {advice}",
)
def definitions_load_failed(graph: Graph):
    """Runtime mode could not load the project's Definitions.

    ## What it does
    In runtime mode (`--runtime`, `runtime = true`), reports once per code location that
    loading it failed: an import error, an exception while building `Definitions`, a load
    that does not finish within `timeout`, a call to `sys.exit`, a Dagster older than 1.9, or
    output printed to stdout while loading. The finding names the target and the exception, and
    sits on the line of your code where it was raised (or where the load was stuck), else on
    the module that provides the `Definitions`. The static rules still run; the runtime rules
    report what could be read before the failure.

    ## Why is this bad?
    What fails here fails for every Dagster process that loads the code location: the
    webserver shows the location as errored, the daemon runs no schedules or sensors for it,
    and runs cannot start. Output at import time is written again by every process that loads
    the location, and mixed into the output of Dagster's own commands.

    ## Example
    ```python
    # definitions.py
    import pandas  # not installed in the project's environment
    import dagster as dg

    print("loading definitions")
    defs = dg.Definitions(assets=[...])
    ```

    ## Use instead
    ```python
    # definitions.py: the dependency installed, and no output at import time
    import dagster as dg

    defs = dg.Definitions(assets=[...])
    ```

    ## Runtime mode
    A failure is cached like a successful load: change a file of the project, the interpreter
    or the `timeout` to load again.
    """
    facts = graph.facts
    error = facts.error
    if error is not None and not explained_failure(graph):
        place, frame = _raised_at(graph)
        line = ""
        if frame is not None and error.stage == "timeout":
            line = f" (stuck in `{frame.function}`, line {frame.line})"
        elif place is not None and error.stage != "version":
            line = f" (line {place[1]})"
        # A load failure is never dropped: without a file of the project, it goes on pyproject.toml.
        yield hit(
            place or graph.locate.definitions() or (str(graph.locate.root / "pyproject.toml"), 1, 0),
            target=facts.target,
            what=_WHAT.get(error.stage, "loading it raised"),
            cause=error.message,
            where=line,
            advice=_advice(error.stage),
        )
    if facts.printed and error is None:
        first = facts.printed[0]
        place = graph.locate.at(first.frame) if first.frame is not None else None
        yield hit(
            place or graph.locate.definitions(),
            target=facts.target,
            what="loading it printed to stdout:",
            cause=f"`{first.text[:60]}`" + (f" and {len(facts.printed) - 1} more" if len(facts.printed) > 1 else ""),
            where="",
            advice="log with `dg.get_dagster_logger()` inside assets instead of printing at import time",
        )


def _raised_at(graph: Graph):
    """(place, frame) of the innermost frame of the user's project: where it raised or hung."""
    error = graph.facts.error
    for frame in reversed(error.frames if error is not None else []):
        place = graph.locate.at(frame)
        if place is not None:
            return place, frame
    return None, None


def _advice(stage: str) -> str:
    if stage == "timeout":
        return "move slow work (connections, downloads) out of import time, or raise `timeout` in [tool.dagster-lint]"
    if stage == "version":
        return (
            "install Dagster 1.9 or newer there, or point `python` in [tool.dagster-lint] at the project's interpreter"
        )
    if stage == "exit":
        return "raise an exception instead, and do not call `sys.exit` at import time"
    if stage in ("crash", "output"):
        return "run `dagster definitions validate` to see the full error"
    return "the static rules still ran; fix the error to run the runtime rules"
