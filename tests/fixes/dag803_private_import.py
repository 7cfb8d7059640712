"""DAG803 where the module imports Dagster only from its private modules: a new import is added."""

from dagster._core.definitions.decorators.asset_decorator import asset
from dagster._core.execution.context.op_execution_context import OpExecutionContext

import json


@asset
def orders(context: OpExecutionContext):
    return json.dumps({"orders": 1})
