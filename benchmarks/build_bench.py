"""Build the same synthetic corpus with awareness, Pelican and Hugo, in one run, and compare.

    python -m benchmarks.build_bench --sizes 500 2000 [--rounds 3] [--work /tmp/awareness-bench] [--seed 0] [--tools …]
                                     [--baseline /tmp/base-commit]

For each N: a cold build (output and caches removed), a rebuild with nothing changed, and a
rebuild after one article's text was edited; each is one process, timed by the wall clock, and
its peak memory is the process tree's largest resident set (wait4's ru_maxrss). Nothing is
deleted while the run times anything: the folders a cold build must not find (output, caches, the
previous corpus and tools' copies) are moved into a trash folder, emptied once the last step is
timed (peers.Trash says why: on this machine's ext4, without a journal, creating files within a
minute of deleting a large tree is several times slower, which would time the clean-up rather
than the tool). Before each timed build the writes of the previous step are left to reach the
disk (sync, then a pause). Pelican runs from
a throwaway virtual environment (created on first use), Hugo when `hugo` is installed. Prints a
table and the ratios of each peer's time to ours, and appends the rows to results.json in the
work folder.

This machine's processor speed varies by a tenth or more within minutes, so one run per tool can
favour whichever tool ran in a quick spell. With --rounds R every tool does its three steps R times, each round
starting with a different tool; the table shows each figure's median over the rounds, and the
cold-build ratios are also printed round by round (each from runs a minute or two apart).
With --baseline DIR, another checkout of awareness (a git worktree of an earlier commit) does the
same steps beside this one, in the same rounds, so a change is measured before and after at once.

It also times the floor of any build that starts a new Python process, as the `build` command
does: the interpreter's start, the imports of the libraries a build cannot do without (click,
Jinja2, Python-Markdown, python-frontmatter) and one stat() of every input file, to learn which
changed. Nothing is read, parsed or written; a one-edit rebuild cannot take less.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import peers
from benchmarks.corpus import write_corpus

STEPS = ("cold", "no change", "one edit")
FLOOR = """
import os, sys
import click, frontmatter, jinja2, markdown
for folder in sys.argv[1:]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            os.stat(os.path.join(root, name))
"""
REPORTED = re.compile(r"trong (\d+(?:\.\d+)?) giây")  # awareness's own "built … in N seconds"


@dataclass(frozen=True)
class Run:
    tool: str
    n: int
    step: str
    seconds: float
    peak_mb: float
    pages: int
    ok: bool
    inside: float | None = None  # awareness only: the build's own time, without interpreter start-up
    round: int = 0
    cpu: float | None = None  # user + system seconds of the process and the children it waited for


def timed(tool: peers.Tool) -> tuple[float, float, bool, float | None, float]:
    """Wall-clock seconds, peak resident MB of the process tree, success, the time awareness reports,
    and the CPU seconds of the process tree (less swayed than the wall clock by other work on the machine)."""
    env = {**os.environ, "PYTHONPATH": str(peers.REPO)}
    started = time.perf_counter()
    process = subprocess.Popen(tool.command, cwd=tool.root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    said = process.stdout.read().decode(errors="replace")  # small; read before waiting so the pipe never fills
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"  {tool.name} thất bại: {process.stderr.read().decode(errors='replace')[-600:]}")
    process.stderr.close()
    process.stdout.close()
    inside = REPORTED.search(said)
    return (seconds, usage.ru_maxrss / 1024, process.returncode == 0, float(inside.group(1)) if inside else None,
            usage.ru_utime + usage.ru_stime)


def floor(tool: peers.Tool, times: int = 7) -> float:
    """Median wall-clock seconds of FLOOR in a new interpreter (the one the builds run in), over
    the inputs of our build: its content, templates and assets."""
    folders = [str(tool.content), str(peers.REPO / "templates"), str(peers.REPO / "assets")]
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR, *folders], check=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def settle(seconds: float = 3.0) -> None:
    """Let the deletions and writes of the previous step reach the disk before the next is timed."""
    os.sync()
    time.sleep(seconds)


def html_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def edit(tool: peers.Tool, relative: str) -> None:
    path = tool.article(relative)
    path.write_text(path.read_text(encoding="utf-8") + "\nĐơn vị bổ sung kết quả thực hiện trong tuần.\n",
                    encoding="utf-8")


def bench(n: int, work: Path, seed: int, names: list[str], trash: peers.Trash, rounds: int = 1,
          baseline: Path | None = None) -> list[Run]:
    folder = work / str(n)
    trash.set_aside(folder / "content")  # the last run's corpus
    corpus = write_corpus(folder, n, seed)
    edited = sorted(p.relative_to(corpus).as_posix() for p in (corpus / "bai-viet").rglob("*.md"))[n // 2]
    makers = {"awareness": peers.ours, "pelican": peers.pelican, "hugo": peers.hugo}
    if baseline is not None:
        names = [names[0], "baseline", *names[1:]]
        makers["baseline"] = lambda c, w, t: peers.ours(c, w, t, baseline, f"awareness@{baseline.name}")
    tools = [t for t in (makers[name](corpus, folder, trash) for name in names) if t]
    # Writing the corpus and each tool's copy made tens of thousands of files: let them reach the
    # disk before the first timed build, which is always ours.
    settle(15.0)
    runs = []
    for number in range(rounds):
        shift = number % len(tools)  # each round starts with another tool
        for tool in tools[shift:] + tools[:shift]:
            tool.clean(trash)
            for step in STEPS:
                if step == "one edit":
                    edit(tool, edited)
                settle()
                seconds, peak, ok, inside, cpu = timed(tool)
                runs.append(Run(tool.name, n, step, seconds, peak, html_pages(tool.output), ok, inside, number, cpu))
                note = f"  (build() {inside:.2f} s)" if inside is not None else ""
                print(f"  {tool.name:9} N={n:<6} {step:9} {seconds:7.2f} s  {peak:7.0f} MB  CPU {cpu:6.2f} s{note}",
                      flush=True)
            if tool.name == "awareness":
                for saved, update, peak in watched(tool, edited):
                    runs.append(Run("awareness", n, "watch edit", saved, peak, 0, True, update, number))
                settle()
                seconds = floor(tool)
                runs.append(Run("awareness", n, "floor", seconds, 0, 0, True, None, number))
                print(f"  {'sàn':9} N={n:<6} {'floor':9} {seconds:7.2f} s  (khởi động + thư viện + stat)", flush=True)
    return runs


def watched(tool: peers.Tool, relative: str, edits: int = 5) -> list[tuple[float, float, float]]:
    """`build --watch` started over the built corpus, then `edits` saves of one article, one at a
    time: for each, the seconds from the save to the watch's report that output/ is up to date
    (the file's write, the watcher's 50 ms wait for more writes of the same save, the update), the
    update's own seconds as it reports them, and the process's peak MB."""
    env = {**os.environ, "PYTHONPATH": str(peers.REPO)}
    process = subprocess.Popen([*tool.command, "--watch"], cwd=tool.root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=lambda s=stream: [lines.put((time.perf_counter(), line)) for line in s],
                         daemon=True).start()

    def wait_for(*texts: str, seconds: float = 600) -> tuple[float, str]:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            try:
                arrived, line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if any(text in line for text in texts):
                return arrived, line
        raise RuntimeError(f"build --watch did not say any of {texts}")

    found = []
    try:
        wait_for("Đang theo dõi")
        for number in range(edits):
            settle(1.0)
            path = tool.article(relative)
            text = path.read_text(encoding="utf-8") + f"\nĐơn vị bổ sung kết quả thực hiện lần {number + 1}.\n"
            saved = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            arrived, line = wait_for("Cập nhật", "Đã dựng", "Dựng thất bại")  # patched, built, failed
            update = UPDATED.search(line)
            found.append((arrived - saved, float(update.group(1)) / 1000 if update else None))
            print(f"  {'awareness':9} {'watch':9} {arrived - saved:7.2f} s  ({line.strip()})", flush=True)
    finally:
        process.send_signal(signal.SIGINT)
        _, _, usage = os.wait4(process.pid, 0)
    return [(saved, update, usage.ru_maxrss / 1024) for saved, update in found]


UPDATED = re.compile(r"Cập nhật \d+ tệp trong (\d+) ms")


def watch_lines(runs: list[Run]) -> list[str]:
    """Per N, our one edit under build --watch: medians over every save of every round."""
    lines = []
    for n in sorted({r.n for r in runs}):
        saves = [r for r in runs if r.n == n and r.step == "watch edit"]
        if saves:
            own = [r.inside for r in saves if r.inside is not None]  # None: the save was built, not patched
            patched = f"{statistics.median(own):.3f} s ({len(own)} patched)" if own else "none patched"
            lines.append(f"N={n} awareness build --watch, one edit ({len(saves)} saves): save → output/ up to date "
                         f"median {statistics.median(r.seconds for r in saves):.3f} s, max "
                         f"{max(r.seconds for r in saves):.3f} s; the update itself median {patched}; "
                         f"peak {max(r.peak_mb for r in saves):.0f} MB")
    return lines


def medians(runs: list[Run]) -> dict[tuple[str, int, str], Run]:
    """One Run per (tool, N, step): the median time over the rounds, the largest peak memory."""
    grouped: dict[tuple[str, int, str], list[Run]] = {}
    for run in runs:
        grouped.setdefault((run.tool, run.n, run.step), []).append(run)
    return {key: Run(key[0], key[1], key[2], statistics.median(r.seconds for r in group),
                     max(r.peak_mb for r in group), group[0].pages, all(r.ok for r in group),
                     statistics.median(r.inside for r in group) if group[0].inside is not None else None)
            for key, group in grouped.items()}


def floors(runs: list[Run]) -> list[str]:
    """Per N, the floor of a build in a new process and our one-edit rebuild as a multiple of it."""
    by = medians(runs)
    lines = []
    for n in sorted({r.n for r in runs}):
        if ("awareness", n, "floor") in by and ("awareness", n, "one edit") in by:
            low, edit_ = by[("awareness", n, "floor")].seconds, by[("awareness", n, "one edit")].seconds
            lines.append(f"N={n} floor of a build in a new process (start-up, imports of click, Jinja2, Markdown, "
                         f"frontmatter, a stat of every input): {low:.2f} s; awareness one edit {edit_:.2f} s = "
                         f"{edit_ / low:.1f}× the floor")
    return lines


def round_ratios(runs: list[Run]) -> list[str]:
    """Each peer's cold time over ours, round by round."""
    cold = {(r.tool, r.n, r.round): r.seconds for r in runs if r.step == "cold"}
    lines = []
    for n in sorted({r.n for r in runs}):
        for tool in dict.fromkeys(r.tool for r in runs if r.n == n and r.tool != "awareness"):
            ratios = [cold[(tool, n, k)] / cold[("awareness", n, k)] for k in sorted({r.round for r in runs})
                      if (tool, n, k) in cold and ("awareness", n, k) in cold]
            lines.append(f"N={n} {tool} cold ÷ awareness, round by round: " + ", ".join(f"{x:.2f}" for x in ratios))
    return lines


def cpu_lines(runs: list[Run]) -> list[str]:
    """Per N and tool, the median CPU seconds of the cold and one-edit builds, and their ratio to ours."""
    lines = []
    for n in sorted({r.n for r in runs}):
        cpu = {(r.tool, r.step): [] for r in runs if r.n == n and r.cpu is not None}
        for r in runs:
            if r.n == n and r.cpu is not None:
                cpu[(r.tool, r.step)].append(r.cpu)
        ours = {step: statistics.median(cpu[("awareness", step)]) for step in STEPS if ("awareness", step) in cpu}
        for tool in dict.fromkeys(tool for tool, _ in cpu):
            parts = []
            for step in ("cold", "one edit"):
                mine = statistics.median(cpu[(tool, step)])
                ratio = f" ({mine / ours[step]:.2f}× awareness)" if step in ours and tool != "awareness" else ""
                parts.append(f"{step} {mine:.2f} s{ratio}")
            lines.append(f"N={n} {tool} CPU (median): " + ", ".join(parts))
    return lines


def table(runs: list[Run]) -> str:
    lines = ["| N | tool | pages | cold (s) | pages/s | no change (s) | one edit (s) | peak MB | cold ÷ awareness |",
             "|---|---|---|---|---|---|---|---|---|"]
    by = medians(runs)
    for n in sorted({r.n for r in runs}):
        ours = by.get(("awareness", n, "cold"))  # absent when only the peers were asked for (--tools)
        for tool in dict.fromkeys(r.tool for r in runs if r.n == n):
            cold, same, edit_ = (by[(tool, n, s)] for s in STEPS)
            peak = max(cold.peak_mb, same.peak_mb, edit_.peak_mb)
            ratio = "1" if tool == "awareness" else f"{cold.seconds / ours.seconds:.2f}" if ours else "–"
            lines.append(f"| {n} | {tool} | {cold.pages} | {cold.seconds:.2f} | {cold.pages / cold.seconds:.0f} | "
                         f"{same.seconds:.2f} | {edit_.seconds:.2f} | {peak:.0f} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/awareness-bench"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1, help="runs of every step per tool; the table shows medians")
    parser.add_argument("--tools", nargs="+", default=["awareness", "pelican", "hugo"],
                        choices=["awareness", "pelican", "hugo"])
    parser.add_argument("--baseline", type=Path, help="another checkout of awareness (say, a git worktree of an "
                        "earlier commit), timed beside this one as awareness@<its folder's name>")
    args = parser.parse_args()
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # Started in the background by a shell without job control, which ignores Ctrl-C for it:
        # build --watch would inherit that, and never stop when the run ends its watch with SIGINT.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    args.work.mkdir(parents=True, exist_ok=True)
    trash = peers.Trash(args.work / ".trash")
    waited = trash.wait_for_reuse()  # the last run's trash, emptied seconds ago or left by a stopped run
    if waited:
        print(f"đã chờ {waited:.0f} giây cho các inode vừa xóa của lần chạy trước", flush=True)
    print(f"máy: {os.cpu_count()} lõi, tải trung bình {os.getloadavg()[0]:.1f}", flush=True)
    runs = []
    try:
        for n in args.sizes:
            runs += bench(n, args.work, args.seed, args.tools, trash, args.rounds, args.baseline)
    finally:
        trash.empty()
    print()
    print(table(runs))
    print("\n".join(floors(runs)))
    print("\n".join(cpu_lines(runs)))
    print("\n".join(watch_lines(runs)))
    if args.rounds > 1:
        print("\n".join(round_ratios(runs)))
    with open(args.work / "results.json", "a", encoding="utf-8") as f:
        f.write(json.dumps({"load": os.getloadavg(), "runs": [asdict(r) for r in runs]}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
