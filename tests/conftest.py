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
