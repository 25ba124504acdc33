"""`awareness publish` over SFTP to a real sshd on 127.0.0.1: a first publish, a one-article edit, no change.

Builds a generated N-article site (benchmarks/corpus.py) for the target's address, starts OpenSSH's sshd
as the tests do (tests/publish_servers.py, run as root), then times each publish from connecting to the
last rename and prints files and bytes sent. The rebuild between publishes is not timed.

    .venv/bin/python benchmarks/publish_bench.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

from corpus import write_corpus  # noqa: E402

from generator.pipeline import build  # noqa: E402
from generator.publish import run  # noqa: E402
from generator.publish.targets import Target  # noqa: E402
from generator.settings import BuildSettings  # noqa: E402
from tests.publish_servers import start_sshd, stop  # noqa: E402

TODAY = date(2026, 11, 24)
BASE = "https://sct.lamdong.gov.vn/"


def measure(label: str, output: Path, target: Target) -> None:
    started = time.perf_counter()
    report = run.publish(output, target, BASE, lambda: "")
    seconds = time.perf_counter() - started
    plan = report.plan
    print(f"{label:<28} {len(plan.send):>6} {plan.bytes / 1e6:>9.2f} {len(report.deleted):>6} "
          f"{plan.unchanged:>6} {seconds:>8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as folder:
        root = Path(folder)
        content = write_corpus(root, options.articles)
        settings = BuildSettings(project=root, content=content, output=root / "output", templates=REPO / "templates",
                                 assets=REPO / "assets", cache=root / ".cache", today=TODAY, base_url=BASE)
        build(settings)
        (root / "sshd").mkdir()
        (root / "www").mkdir()
        sshd = start_sshd(root / "sshd")
        try:
            target = Target("bench", "sftp", str(root / "www"), "127.0.0.1", sshd.port, sshd.user,
                            host_key=sshd.host_key, key_file=str(sshd.user_key))
            print(f"{options.articles} articles, SFTP to 127.0.0.1")
            print(f"{'publish':<28} {'files':>6} {'MB':>9} {'del':>6} {'same':>6} {'seconds':>8}")
            measure("first (empty server)", settings.output, target)
            article = sorted(p for p in content.rglob("*.md") if "_data" not in p.parts and "pages" not in p.parts)[0]
            article.write_text(article.read_text(encoding="utf-8") + "\nMột câu sửa để đo.\n", encoding="utf-8")
            build(settings)
            measure("one article edited", settings.output, target)
            measure("nothing changed", settings.output, target)
            transport = run.connect(target, lambda: "")
            started = time.perf_counter()
            listing = transport.listing()
            print(f"{'(listing alone: ' + str(len(listing.folders)) + ' folders)':<28} {'':>6} {'':>9} {'':>6} "
                  f"{len(listing.files):>6} {time.perf_counter() - started:>8.2f}")
            transport.close()
        finally:
            stop(sshd.process)


if __name__ == "__main__":
    main()
