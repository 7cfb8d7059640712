"""dagster-lint: a linter for Dagster code."""

__version__ = "0.1.0"
