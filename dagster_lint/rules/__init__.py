"""Rule modules, one per category. Importing this package registers every rule."""

from dagster_lint.rules import (  # noqa: F401
    automation,
    definitions,
    deprecated_api,
    graph,
    legacy,
    lineage,
    modernize,
    observability,
    partitions,
    performance,
    project_automation,
    project_partitions,
    project_quality,
    quality,
    reliability,
    resources,
)
