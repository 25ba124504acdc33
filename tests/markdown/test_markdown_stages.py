"""Our stages of Python-Markdown (generator/markdown/inline.py, blocks.py), each alone and both
together as the build uses them, give Python-Markdown's own HTML for every Markdown file of the
embedded site and of a 150-article corpus; a difference fails. (Each stage's own file tries every
kind of syntax it narrows, and random mixes of it.)"""

from __future__ import annotations

import pytest

from generator.markdown import blocks as markdown_blocks
from generator.markdown import inline as markdown_inline
from tests.markdown_twins import Twins


def _both_stages(engine) -> None:
    assert markdown_inline.install(engine)
    assert markdown_blocks.install(engine)


STAGES = {"inline": markdown_inline.install, "blocks": markdown_blocks.install, "both": _both_stages}


@pytest.mark.parametrize("stage", STAGES)
def test_every_document_of_the_embedded_site_and_a_corpus_gives_the_same_html(stage, tmp_path):
    Twins(STAGES[stage]).assert_alike_on_the_site_and_a_corpus(tmp_path)
