"""Putting a stand-in in place of an item of a Python-Markdown registry, where the item was.

Python-Markdown's Registry (md.parser.blockprocessors, md.inlinePatterns, md.treeprocessors)
orders its items by a priority that only `register` takes and nothing public gives back. An
extension that replaces an item therefore names the priority the library registered it with (as
Python-Markdown's own sane_lists does for the lists). A later Python-Markdown may register it with
another; the stand-in would then run at another place, which could change the HTML. So the
stand-in is first tried on a copy (a slice of a Registry is a Registry with the same names and
priorities), and put in only when it takes exactly the place of the item it stands for.
"""

from __future__ import annotations

from typing import TypeVar

from markdown.util import Registry

Item = TypeVar("Item")


def replace_in_place(registry: Registry[Item], name: str, stand_in: Item, priority: float) -> bool:
    """Register `stand_in` under `name` at `priority` if it then sits where the item under `name`
    sat, every other item keeping its place; False (and nothing changed) otherwise."""
    if name not in registry:
        return False
    index = registry.get_index_for_name(name)
    trial = registry[:]
    trial.register(stand_in, name, priority)
    # One item taken out and put back at the same index leaves every other one where it was.
    if trial.get_index_for_name(name) != index:
        return False
    registry.register(stand_in, name, priority)
    return True
