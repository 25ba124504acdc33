"""How long render_body takes on each hostile Markdown body of tests/hostile/corpus.py (refused or done).

    python -m benchmarks.hostile_bench
"""

from __future__ import annotations

import sys
import time
from pathlib import PurePosixPath

from generator.markdown.render import LinkContext, render_body
from tests.hostile.corpus import BODY, LEAD, SLOW_MARKDOWN


def main() -> int:
    links = LinkContext({}, "/")
    render_body("Khởi động.", PurePosixPath("a.md"), BODY, links)  # the engine is made once per process
    for name, body in SLOW_MARKDOWN.items():
        started = time.perf_counter()
        rendered = render_body(LEAD + body + "\n", PurePosixPath("a.md"), BODY, links)
        seconds = time.perf_counter() - started
        verdict = rendered.problems[0].message if rendered.problems else "done"
        print(f"{name:30} {len(body):7} chars {seconds:6.3f} s  {verdict[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
