"""What the Markdown guard (generator/markdown/guard.py) adds to rendering the bodies of a corpus.

Renders every body of the synthetic corpus with render_body, whose first step is the guard's
check, and times the check alone on the same bodies, in alternating rounds in one process (so a
machine shared with other work slows both alike); prints the medians and their ratio.

    python -m benchmarks.guard_bench [--articles 500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

import frontmatter

from benchmarks.corpus import write_corpus
from generator.markdown import guard as markdown_guard
from generator.markdown.render import LinkContext, render_body


def bodies(articles: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        content = write_corpus(Path(folder), articles)
        return [frontmatter.loads(path.read_text(encoding="utf-8")).content for path in sorted(content.rglob("*.md"))]


def timed(function, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    texts = bodies(options.articles)
    links = LinkContext({}, "/")
    render = lambda text: render_body(text, PurePosixPath("a.md"), 1, links)  # noqa: E731
    checks, renders = [], []
    for _ in range(options.rounds):
        checks.append(timed(markdown_guard.check, texts))
        renders.append(timed(render, texts))
    check, whole = statistics.median(checks), statistics.median(renders)
    print(f"{len(texts)} bodies, {sum(map(len, texts)) / 1e6:.2f} M characters, median of {options.rounds} rounds:")
    print(f"  markdown_guard.check: {check * 1000:.1f} ms")
    print(f"  render_body (check included): {whole * 1000:.0f} ms")
    print(f"  check / render_body: {check / whole:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
