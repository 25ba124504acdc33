"""What a template's text reads, from Jinja's parse tree: the templates it pulls in, whose bodies
it shows, whether it reads the whole article list, and every name it uses.

The page cache keys a page by these (fingerprint.py); they are found with Jinja's public parser
API (`Environment.parse`, `jinja2.meta`, `Node.find_all`), so comments, HTML and inline scripts
are never mistaken for template code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jinja2
from jinja2 import meta, nodes

BODY_HELPERS = frozenset({"body", "headings"})  # the helpers that place an item's rendered Markdown
ALL_ITEMS = frozenset({"articles", "pages"})  # the lists of site that hold every article and page


@dataclass(frozen=True)
class TemplateReads:
    """What one template's own text reads (not the templates it pulls in)."""

    templates: tuple[str | None, ...]  # what it extends, includes, imports; None: a name computed when rendering
    bodies: frozenset[str] | None  # the names passed to body()/headings(); None: any item's body may show
    bound: frozenset[str]  # the names it assigns (set, for, macro and call arguments, with, import)
    all_items: bool  # reads site.articles or site.pages, or hands `site` itself to something
    names: frozenset[str]  # every name it reads, helpers and locals alike


@functools.lru_cache(maxsize=512)
def reads(source: str) -> TemplateReads:
    """Parsed once per text: a build asks for the closure of each of its templates, which share
    their includes, and an edited template is a new text."""
    tree = _PARSER.parse(source)
    return TemplateReads(tuple(meta.find_referenced_templates(tree)), _bodies(tree), _bound(tree),
                         _reads_all_items(tree), frozenset(n.name for n in tree.find_all(nodes.Name)
                                                           if n.ctx == "load"))


_PARSER = jinja2.Environment()  # parsing does not depend on the rendering settings or the site's filters


def _bodies(tree: nodes.Template) -> frozenset[str] | None:
    """The names whose body the template shows, or None when that cannot be told from its text: a
    helper called with anything but one plain name, a helper handed on uncalled, an item's `.body`."""
    shown, callees = set(), set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in BODY_HELPERS:
            callees.add(id(call.node))
            if len(call.args) != 1 or call.kwargs or call.dyn_args or call.dyn_kwargs \
                    or not isinstance(call.args[0], nodes.Name):
                return None
            shown.add(call.args[0].name)
    if any(n.name in BODY_HELPERS and id(n) not in callees for n in tree.find_all(nodes.Name)):
        return None
    if any(_names_attribute(node, "body") for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter))):
        return None
    return frozenset(shown)


def _bound(tree: nodes.Template) -> frozenset[str]:
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names.update(n.target for n in tree.find_all(nodes.Import))
    for imported in tree.find_all(nodes.FromImport):
        names.update(name if isinstance(name, str) else name[1] for name in imported.names)
    return frozenset(names)


def _reads_all_items(tree: nodes.Template) -> bool:
    """Whether the template reads site.articles or site.pages; `site` handed whole to a filter, a
    macro or a variable counts too, as what receives it may read them."""
    reached = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name) and node.node.name == "site":
            reached.add(id(node.node))
            if _attribute(node) in ALL_ITEMS or _attribute(node) is None:  # None: a key computed when rendering
                return True
    return any(n.name == "site" and id(n) not in reached for n in tree.find_all(nodes.Name))


def _attribute(node: nodes.Getattr | nodes.Getitem) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    return node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None


def _names_attribute(node: nodes.Getattr | nodes.Getitem | nodes.Filter, name: str) -> bool:
    """`x.name`, `x["name"]` or `x | attr("name")`."""
    if isinstance(node, nodes.Filter):
        return node.name == "attr" and any(isinstance(a, nodes.Const) and a.value == name for a in node.args)
    return _attribute(node) == name
