"""Blocks and spans written as Markdown the build reads: `##`/`###` headings, lists, tables, footnotes.

A table with merged cells has no Markdown form, so it is written as an HTML table with colspan/rowspan,
tags and attributes the sanitiser (generator/markdown/sanitize.py) allows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from itertools import groupby
from urllib.parse import quote

from generator.docx_import.blocks import Block, Body, Cell
from generator.docx_import.inline import Span

ImageSource = Callable[[int], str]  # image index → path relative to the article
_ESCAPED = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>]|[-+*](?=\s)|\d+[.)](?=\s))")


def body_markdown(body: Body, image_src: ImageSource) -> str:
    labels: dict[str, int] = {}
    parts: list[str] = []
    previous: Block | None = None
    for block in body.blocks:
        text = _block(block, image_src, labels)
        if _same_list(previous, block):
            parts[-1] += "\n" + text
        else:
            parts.append(text)
        previous = block if block.kind != "item" or block.level == 0 or previous is None else previous
    definitions = [_footnote(label, body.footnotes.get(key, ()), image_src)
                   for key, label in sorted(labels.items(), key=lambda item: item[1])]
    return "\n\n".join(parts + definitions) + "\n"


def _same_list(previous: Block | None, block: Block) -> bool:
    """Items continue a list unless a top-level item changes between bullets and numbers (a new list)."""
    if previous is None or previous.kind != "item" or block.kind != "item":
        return False
    return block.level > 0 or block.ordered == previous.ordered


def _block(block: Block, image_src: ImageSource, labels: dict[str, int]) -> str:
    text = inline_markdown(block.spans, image_src, labels)
    if block.kind == "heading":
        return "#" * min(block.level + 1, 4) + " " + text.replace("  \n", " ")
    if block.kind == "item":
        marker = "1." if block.ordered else "-"
        indent = "    " * block.level
        return indent + marker + " " + text.replace("\n", "\n" + indent + "    ")
    if block.kind == "table":
        merged = any(cell.colspan > 1 or cell.rowspan > 1 for row in block.rows for cell in row)
        return _html_table(block, image_src, labels) if merged else _markdown_table(block, image_src, labels)
    return text


def inline_markdown(spans: tuple[Span, ...], image_src: ImageSource, labels: dict[str, int]) -> str:
    out: list[str] = []
    for (bold, italic, href), group in groupby(spans, key=lambda s: (s.bold, s.italic, s.href)):
        items = list(group)
        text = "".join(_span_markdown(s, image_src, labels) for s in items)
        if href and text.strip():
            text = f"[{text}]({_url(href)})"
        out.append(_emphasis(text, bold and any(s.kind == "text" for s in items), italic))
    text = "".join(out).strip()
    match = _LINE_START.match(text)
    if match:  # "1. " or "- " at the start of a Word paragraph is text, not a list Markdown should make
        text = text[: match.end() - 1] + "\\" + text[match.end() - 1 :]
    return text


def _span_markdown(span: Span, image_src: ImageSource, labels: dict[str, int]) -> str:
    if span.kind == "break":
        return "  \n"
    if span.kind == "footnote":
        return f"[^{labels.setdefault(span.target, len(labels) + 1)}]"
    if span.kind == "image":
        return f"![{_escape(span.text)}]({image_src(int(span.target))})"
    return _escape(span.text)


def _escape(text: str) -> str:
    return _ESCAPED.sub(r"\\\1", text).replace("<", "&lt;")


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core or not (bold or italic):
        return text
    marks = ("**" if bold else "") + ("*" if italic else "")
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{marks}{core}{marks[::-1]}{trail}"


def _url(href: str) -> str:
    return quote(href, safe=":/?#[]@!$&'*+,;=%~-._")


def _footnote(label: int, paragraphs: tuple[tuple[Span, ...], ...], image_src: ImageSource) -> str:
    texts = [inline_markdown(p, image_src, {}) for p in paragraphs] or ["(chú thích trống)"]
    return f"[^{label}]: " + "\n\n    ".join(t.replace("\n", "\n    ") for t in texts)


def _markdown_table(block: Block, image_src: ImageSource, labels: dict[str, int]) -> str:
    width = max(len(row) for row in block.rows)
    lines = []
    for number, row in enumerate(block.rows):
        cells = [_cell_markdown(cell, image_src, labels) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _cell_markdown(cell: Cell, image_src: ImageSource, labels: dict[str, int]) -> str:
    texts = [inline_markdown(p, image_src, labels).replace("  \n", "<br>") for p in cell.paragraphs]
    return "<br>".join(texts).replace("|", "\\|").replace("\n", " ")


def _html_table(block: Block, image_src: ImageSource, labels: dict[str, int]) -> str:
    lines = ["<table>"]
    for number, row in enumerate(block.rows):
        if number == 0:
            lines.append("<thead>")
        elif number == block.header_rows:
            lines.append("<tbody>")
        cell_tag = "th" if number < block.header_rows else "td"
        cells = "".join(_html_cell(cell, cell_tag, image_src, labels) for cell in row)
        lines.append(f"<tr>{cells}</tr>")
        if number == block.header_rows - 1:
            lines.append("</thead>")
    lines.append("</tbody>" if len(block.rows) > block.header_rows else "")
    return "\n".join(line for line in lines if line) + "\n</table>"


def _html_cell(cell: Cell, cell_tag: str, image_src: ImageSource, labels: dict[str, int]) -> str:
    attributes = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
        (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
    if cell_tag == "th":
        attributes += ' scope="colgroup"' if cell.colspan > 1 else ' scope="col"'
    content = "<br>".join(_html_inline(p, image_src, labels) for p in cell.paragraphs)
    return f"<{cell_tag}{attributes}>{content}</{cell_tag}>"


def _html_inline(spans: tuple[Span, ...], image_src: ImageSource, labels: dict[str, int]) -> str:
    out = []
    for span in spans:
        if span.kind == "footnote":  # Markdown's footnote links do not work inside raw HTML: the number alone
            out.append(f"<sup>{labels.setdefault(span.target, len(labels) + 1)}</sup>")
        elif span.kind == "break":
            out.append("<br>")
        elif span.kind == "image":
            out.append(f'<img src="{html.escape(image_src(int(span.target)))}" alt="{html.escape(span.text)}">')
        elif span.kind == "text":
            text = html.escape(span.text, quote=False)
            text = f"<em>{text}</em>" if span.italic and text.strip() else text
            text = f"<strong>{text}</strong>" if span.bold and text.strip() else text
            out.append(f'<a href="{html.escape(_url(span.href))}">{text}</a>' if span.href else text)
    return "".join(out).strip()
