"""The related-news index gives exactly what scoring every pair of articles gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from generator.content.load import load_site
from generator.problems import Problems
from generator.site.related import RelatedIndex
from generator.site.routes import related


@pytest.mark.parametrize("seed", [1, 2])
def test_index_matches_scoring_every_pair(tmp_path: Path, seed: int):
    content = write_corpus(tmp_path, 90, seed)
    problems = Problems(root=tmp_path)
    site = load_site(content, problems)
    assert site is not None and not problems.errors
    index = RelatedIndex(site.articles)
    for limit in (1, 4, 9):
        for article in site.articles:
            assert index.related(article, limit) == related(article, site.articles, limit)
