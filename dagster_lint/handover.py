"""Models the project index builds for files the CLI is about to lint, handed over once.

To index a project, `build_index` parses and models every file of it; the CLI then lints the
same files, which would parse and model each a second time (a third of a cold run on a
project). When the CLI says which files it will lint (`expect`), the index keeps the models
of those files instead of dropping them, and the engine takes each one (`take`) in place of
parsing the file again, if its text is still the same. The kept models are bounded by the size
of their sources (a model takes about forty times the memory of its source), so a large
project hands over its first files only. Without `expect` (pylint, flake8, an editor, `-j`
workers, which each see a share of the files), nothing is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from dagster_lint.config import resolved_dir
from dagster_lint.model import ModuleModel, is_test_path

# Characters of source whose models may wait at once: about 80 MB of models.
BUDGET = 2_000_000

_expected: set[str] = set()
_kept: dict[str, ModuleModel] = {}
_room = 0


def expect(paths: Iterable[str]) -> None:
    """The files the caller is about to lint: the index keeps their models for `take`."""
    global _room
    clear()
    _expected.update(_real(path) for path in paths)
    _room = BUDGET


def expecting() -> bool:
    """Whether a caller said which files it will lint (and some models are still wanted)."""
    return bool(_expected or _kept)


def offer(path: str, model: ModuleModel) -> bool:
    """Keep the model the index built for `path` (a resolved path); False: the caller releases it."""
    global _room
    if path not in _expected or len(model.source) > _room:
        return False
    _expected.discard(path)
    _kept[path] = model
    _room -= len(model.source)
    return True


def take(path: str, source: str) -> ModuleModel | None:
    """The model kept for `path` (as the caller names it), if it was built from `source`."""
    if not _kept:
        return None
    model = _kept.pop(_real(path), None)
    if model is None:
        return None
    if model.source != source or is_test_path(model.path) != is_test_path(path):
        model.release()  # the file changed, or its name reads differently (a relative `test_` path)
        return None
    model.path = path
    return model


def clear() -> None:
    """Forget what is expected and release the models nobody took."""
    global _room
    for model in _kept.values():
        model.release()
    _kept.clear()
    _expected.clear()
    _room = 0


def _real(path: str) -> str:
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(resolved_dir(directory), name)
