"""Version matrix: the front-ends against the oldest and newest pylint and flake8 we support.

Not part of CI (which tests one environment); run it before widening or narrowing a range in
pyproject.toml, and keep the README's "Supported versions" table in step with what passed:

    nox                          # every session
    nox -s "frontends(oldest)"   # one of them
    nox --envdir /tmp/nox ...    # keep the environments out of the work tree

The oldest versions are read from pyproject.toml (the `>=` bounds of the `pylint` and `flake8`
extras), so the matrix cannot drift from what the package claims. "newest" installs the newest
releases and the newest Python we list.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nox

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]

OLDEST_PYTHON = "3.10"
NEWEST_PYTHON = "3.13"

# The harness that matters for the front-ends: every fixture through CLI, pylint and flake8, plus
# the pylint/flake8 specifics (stdin buffers, pragmas, --select/--enable of default-off rules) and
# the shared configuration table.
FRONTEND_TESTS = ["tests/test_fixtures.py", "tests/test_frontends.py", "tests/test_config.py"]

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True


def lower_bound(extra: str | None, package: str) -> str:
    """`package==X` for the `package>=X` requirement of an extra (None: of the package itself)."""
    requirements = EXTRAS[extra] if extra else PYPROJECT["project"]["dependencies"]
    for requirement in requirements:
        match = re.fullmatch(rf"{re.escape(package)}\s*>=\s*([\w.]+)", requirement.split(";")[0].strip())
        if match:
            return f"{package}=={match.group(1)}"
    raise ValueError(f"no `{package}>=` bound in the `{extra or 'dependencies'}` of pyproject.toml")


@nox.session
@nox.parametrize(
    "python,tools",
    [
        (
            OLDEST_PYTHON,
            [lower_bound("pylint", "pylint"), lower_bound("flake8", "flake8"), lower_bound(None, "croniter")],
        ),
        (NEWEST_PYTHON, ["pylint", "flake8"]),
    ],
    ids=["oldest", "newest"],
)
def frontends(session: nox.Session, tools: list[str]) -> None:
    """Fixtures through the CLI, pylint and flake8, with the oldest or newest pylint and flake8."""
    session.install("-e", ".", "pytest>=8.0", "hypothesis>=6.100", *tools)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *FRONTEND_TESTS, *session.posargs)


@nox.session
@nox.parametrize("python,bound", [(OLDEST_PYTHON, "oldest"), (NEWEST_PYTHON, "newest")], ids=["oldest", "newest"])
def runtime(session: nox.Session, bound: str) -> None:
    """The runtime extra's tests (tests/test_runtime*.py) with the oldest or newest Dagster it allows,
    installed beside dagster-lint as the `[runtime]` extra does (Dagster 1.9.0 also pins the
    oldest croniter dagster-lint accepts)."""
    tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_runtime*.py"))
    if "runtime" not in EXTRAS or not tests:
        session.skip("no `runtime` extra or no tests/test_runtime*.py yet")
    dagster = lower_bound("runtime", "dagster") if bound == "oldest" else "dagster"
    # pylint and flake8 too: the runtime projects are checked through all three front-ends.
    session.install("-e", ".[runtime,pylint,flake8]", "pytest>=8.0", "hypothesis>=6.100", dagster)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, *session.posargs)
