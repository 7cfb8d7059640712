from pathlib import Path

import dagster as dg


@dg.definitions
def defs():
    # A defs folder of Python modules only (no defs.yaml): the index reads all of it.
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
