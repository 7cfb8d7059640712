"""Helpers that project rules (mode P) share: the linted module's entry, and hints."""

from __future__ import annotations

import difflib

from dagster_lint.keys import Key, show
from dagster_lint.model import ModuleModel
from dagster_lint.project import Entry, ProjectIndex


def project_entry(model: ModuleModel) -> tuple[ProjectIndex, Entry] | tuple[None, None]:
    """The project index and the linted module's entry in it, when the module is in a project."""
    project = model.project
    if not isinstance(project, ProjectIndex):
        return None, None
    entry = project.entry_of(model)
    return (project, entry) if entry is not None else (None, None)


def production_entry(model: ModuleModel) -> tuple[ProjectIndex, Entry] | tuple[None, None]:
    """Like `project_entry`, but None for test modules (their definitions are not loaded)."""
    project, entry = project_entry(model)
    if entry is None or entry.summary.is_test:
        return None, None
    return project, entry


def closest(wanted: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def key_hint(project: ProjectIndex, wanted: Key) -> str:
    """What the user probably meant by an asset key nothing produces."""
    keys = project.known_keys()
    text = show(wanted)
    if len(wanted) == 1 and "/" in wanted[0]:
        split = tuple(wanted[0].split("/"))
        if split in keys:
            entry, produced = keys[split]
            parts = ", ".join(f'"{p}"' for p in split)
            return (f'a string is one key part, so `"{text}"` is not `{show(split)}` '
                    f"({project.where(entry, produced.line)}): write `[{parts}]`")
    if len(wanted) == 1:
        prefixed = [(e, p) for k, (e, p) in keys.items() if len(k) > 1 and k[-1] == wanted[0]]
        if len(prefixed) == 1:
            entry, produced = prefixed[0]
            parts = ", ".join(f'"{p}"' for p in produced.key)
            return (f"`{show(produced.key)}` ({project.where(entry, produced.line)}) has that name, but a one-part key "
                    f"reaches a prefixed asset only from the same group: write `[{parts}]`")
    by_text = {show(k): k for k in keys}
    match = closest(text, list(by_text))
    if match is None:
        return "declare it with `dg.AssetSpec(...)` if it is produced outside this project"
    entry, produced = keys[by_text[match]]
    return f"did you mean `{match}` ({project.where(entry, produced.line)})?"
