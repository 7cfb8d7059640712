"""Runtime (R) checks: they read GraphFacts of the loaded Definitions, never Dagster itself.

Each module attaches checks to codes of the registry (`runtime_check` for a code that has a
static rule, `runtime_rule` for runtime-only codes). Importing this package registers them,
after the static rules they attach to.
"""

import dagster_lint.rules  # noqa: F401  (the codes runtime checks attach to)
from dagster_lint.runtime.rules import (  # noqa: F401
    automation, lineage, load, partitions, performance, quality, resources
)
