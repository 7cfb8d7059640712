import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pytest  # noqa: E402

# Lines the corpus test wants in the CI log (files linted, crashes): printed after the run, where
# they are seen without -s or -rA.
SUMMARY = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def terminal_summary(pytestconfig) -> list:
    return pytestconfig.stash.setdefault(SUMMARY, [])


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("dagster-lint corpus")
        for line in lines:
            terminalreporter.write_line(line)


# Hypothesis budgets (tests/test_robustness.py). CI: a fixed set of examples, so that a run is
# reproducible and fits the CI budget; dev: new examples every run; long: a bug hunt
# (DAGSTER_LINT_HYPOTHESIS=dagster-lint-long, or pytest --hypothesis-profile=dagster-lint-long).
from hypothesis import HealthCheck, settings  # noqa: E402

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("dagster-lint-ci", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET)
settings.register_profile("dagster-lint-dev", max_examples=150, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("dagster-lint-long", max_examples=5000, deadline=None, suppress_health_check=_QUIET)
_DEFAULT_PROFILE = "dagster-lint-ci" if os.environ.get("CI") else "dagster-lint-dev"
settings.load_profile(os.environ.get("DAGSTER_LINT_HYPOTHESIS", _DEFAULT_PROFILE))
