"""Two Python-Markdown engines with the build's extensions, one as Python-Markdown makes it and
one with a stage of ours put in its place (generator/markdown/inline.py, blocks.py), for
the tests that hold each stage to Python-Markdown's own HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import markdown

from benchmarks.corpus import write_corpus
from generator.markdown import render as markdown_render

ROOT = Path(__file__).resolve().parent.parent


def extensions() -> list:
    return [*markdown_render.standard_extensions(), "toc"]


def make_engine(install: Callable[[markdown.Markdown], None] | None = None) -> markdown.Markdown:
    made = markdown.Markdown(extensions=extensions(), output_format="html")
    if install is not None:
        install(made)
    return made


class Twins:
    """Python-Markdown's engine and ours, each reset before every document."""

    def __init__(self, install: Callable[[markdown.Markdown], None]):
        self.stock, self.ours = make_engine(), make_engine(install)

    def both(self, text: str) -> tuple[str, str]:
        return self.stock.reset().convert(text), self.ours.reset().convert(text)

    def assert_alike(self, text: str) -> None:
        stock, ours = self.both(text)
        assert ours == stock

    def assert_alike_on_the_site_and_a_corpus(self, folder: Path) -> None:
        """Every Markdown file of the embedded site and of a 150-article corpus written in `folder`."""
        write_corpus(folder, 150)
        files = sorted((ROOT / "content").rglob("*.md")) + sorted(folder.rglob("*.md"))
        assert len(files) > 150
        for path in files:
            stock, ours = self.both(path.read_text(encoding="utf-8"))
            assert ours == stock, path
