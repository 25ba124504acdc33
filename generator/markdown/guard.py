"""Bounds on the work one Markdown body may cost: refused before conversion, or stopped by a clock.

Python-Markdown's inline stage looks for the closer of every opener ('[' for a link, '<' for an
autolink or a tag, '(' for a link's address) by scanning forward, one character at a time, to the
end of the paragraph when there is none: a pasted log or a malicious file with thousands of
unclosed openers in one paragraph takes minutes. Its block parser recurses once per level of a
nested list or quotation, and Python's recursion limit ends that with a RecursionError.

`check` estimates both from the text alone (how far all those scans would go, how deep the
nesting is) and names the line and the cause, so the author can fix it; `time_budget` is the
backstop for whatever the estimate does not foresee.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The characters Python-Markdown's scans would pass over, summed over every opener of a paragraph.
# Beyond this a paragraph costs seconds (the worst kind, "[", a fraction of a microsecond per
# character); an article's own paragraphs stay far below it, even one with a hundred links.
MAX_SCAN = 1_000_000
# Backticks are looked for by a regular expression (in C, a hundred times faster per character, but
# out of reach of the clock): each one of a paragraph may scan the rest of it for a closing run.
MAX_CODE_SCAN = 500_000_000
# Each tag or entity becomes a placeholder in its paragraph's text, which is rebuilt around it:
# thousands of them in one paragraph cost seconds.
MAX_MARKUP = 2000
MAX_DEPTH = 32  # levels of nested lists, quotations or brackets; real articles use three or four
TIME_BUDGET = 5.0  # seconds for one body, when the clock can be set (see time_budget)

_CLOSER = {"[": "]", "<": ">", "(": ")"}
_OPENER = {closer: opener for opener, closer in _CLOSER.items()}
_BRACKETS = re.compile(r"[\[\]<>()`&]|\n[ \t]*\n")  # a blank line ends a paragraph, and its scans
MAX_RUN = 64  # backticks or tildes in a row: a code fence needs three, and longer runs cost the square
_RUN = re.compile(rf"`{{{MAX_RUN + 1},}}|~{{{MAX_RUN + 1},}}")
_FENCE = re.compile(rf"^(`{{3,{MAX_RUN}}}|~{{3,{MAX_RUN}}})(.*)$", re.MULTILINE)  # fenced_code's, at column 0
# A line that may nest deeper than MAX_DEPTH: each level takes at least one character ('>' or a tab)
_NESTING = re.compile(rf"^((?:[ \t]*>)*)([ \t]*)(?<=[ \t>]{{{MAX_DEPTH + 1}}})(?=\S)", re.MULTILINE)


class OutOfTime(Exception):
    """The body took longer than its time budget."""


def check(body: str) -> list[tuple[int, str, str]]:
    """(line in the body, counted from 0; message; hint) for each thing that would make converting
    `body` slow or crash it; empty for any ordinary article."""
    # str.find first, in C, before any pattern: most bodies hold no long run, fence or deep indent
    run = _RUN.search(body) if "`" * (MAX_RUN + 1) in body or "~" * (MAX_RUN + 1) in body else None
    if run is not None:  # looked for first: finding fences in such a text is itself slow
        return [(body.count("\n", 0, run.start()),
                 f"có {len(run.group())} dấu {run.group()[0]} liên tiếp: xử lý Markdown sẽ mất nhiều phút",
                 f"viết tối đa {MAX_RUN} dấu liền nhau; khối mã mở và đóng bằng ba dấu ```")]
    text, unclosed = _without_code(body)
    found = [unclosed] if unclosed else []
    depth = _deepest(text)
    if depth is not None:
        found.append(depth)
    openers = text.count("[") + text.count("<") + text.count("(")
    # otherwise no paragraph can reach a limit: the scan is skipped
    if openers * len(text) > MAX_SCAN or text.count("`") * len(text) > MAX_CODE_SCAN \
            or text.count("<") + text.count("&") > MAX_MARKUP:
        found.extend(_costly_paragraphs(text))
    return found


def _without_code(body: str) -> tuple[str, tuple[int, str, str] | None]:
    """The body with its fenced code blocks blanked (they are not parsed inline), and a problem when
    fences left open would cost too much: fenced_code looks for the closer of each to the very end."""
    fences = list(_FENCE.finditer(body)) if "```" in body or "~~~" in body else []
    if not fences:
        return body, None
    last_closer = {fence.group(1): fence.start() for fence in fences if not fence.group(2).strip()}
    unclosed = [fence for fence in fences if fence.start() >= last_closer.get(fence.group(1), -1)]
    cost = sum(len(body) - fence.start() for fence in unclosed)
    problem = None
    if cost > MAX_CODE_SCAN:
        problem = (body.count("\n", 0, unclosed[0].start()), f"{len(unclosed)} dòng mở khối mã {unclosed[0].group(1)} "
                   "không có dòng đóng: xử lý Markdown sẽ mất nhiều phút",
                   f"đóng mỗi khối mã bằng một dòng chỉ có {unclosed[0].group(1)}")
    pieces, at, opened = [], 0, None
    for fence in fences:
        if opened is None:
            if fence.start() < last_closer.get(fence.group(1), -1):
                opened = fence
        elif fence.group(1) == opened.group(1) and not fence.group(2).strip():
            pieces += [body[at:opened.start()], "\n" * body.count("\n", opened.start(), fence.end())]
            at, opened = fence.end(), None
    return "".join(pieces) + body[at:], problem


def _deepest(text: str) -> tuple[int, str, str] | None:
    if "\t" not in text and ">" not in text and " " * (4 * MAX_DEPTH + 4) not in text:
        return None  # only spaces indent it, too few of them in a row for that many levels
    for match in _NESTING.finditer(text):
        quotes = match.group(1).count(">")
        indent = len(match.group(2).expandtabs(4)) // 4
        if quotes + indent > MAX_DEPTH:
            line = text.count("\n", 0, match.start())
            return (line, f"nội dung lồng nhau quá sâu ({quotes + indent} cấp danh sách, thụt lề hoặc trích dẫn '>')",
                    f"giảm xuống tối đa {MAX_DEPTH} cấp; văn bản dán vào (nhật ký, mã) đặt giữa hai dòng ```")
    return None


def _costly_paragraphs(text: str) -> Iterator[tuple[int, str, str]]:
    """What each paragraph's scans would cost: for every opener, the distance to its closer, or to
    the paragraph's end when it has none; and how deep the brackets nest."""
    stacks: dict[str, list[int]] = {opener: [] for opener in _CLOSER}
    cost, deepest, start, ticks, markup = 0, 0, 0, 0, 0
    for match in _BRACKETS.finditer(text + "\n\n"):
        char, at = match.group(), match.start()
        markup += char in "<&"
        if char == "`":
            ticks += 1
        elif char == "&":
            pass
        elif char in stacks:
            stacks[char].append(at)
            deepest = max(deepest, len(stacks[char]))
        elif char in _OPENER:
            if stacks[_OPENER[char]]:
                cost += at - stacks[_OPENER[char]].pop()
        else:  # the paragraph ends
            unclosed = {opener: positions for opener, positions in stacks.items() if positions}
            cost += sum(at - position for positions in unclosed.values() for position in positions)
            if cost > MAX_SCAN or deepest > MAX_DEPTH:
                yield _paragraph_problem(text, start, unclosed, deepest)
            elif ticks * (at - start) > MAX_CODE_SCAN:
                yield (_line(text, start), f"đoạn văn có {ticks} dấu ` (mã): xử lý Markdown sẽ mất nhiều phút",
                       "đặt văn bản dán vào (nhật ký, mã) giữa hai dòng ```")
            elif markup > MAX_MARKUP:
                yield (_line(text, start), f"đoạn văn có {markup} thẻ HTML hoặc ký tự '&': xử lý Markdown sẽ mất "
                       "nhiều phút", f"tách thành nhiều đoạn (tối đa {MAX_MARKUP} mỗi đoạn); văn bản dán vào "
                       "(nhật ký, mã) đặt giữa hai dòng ```")
            stacks = {opener: [] for opener in _CLOSER}
            cost, deepest, start, ticks, markup = 0, 0, match.end(), 0, 0


def _paragraph_problem(text: str, start: int, unclosed: dict[str, list[int]], deepest: int) -> tuple[int, str, str]:
    hint = "đóng các dấu ngoặc còn thiếu; văn bản dán vào (nhật ký, mã) đặt giữa hai dòng ```"
    if not unclosed:
        return (_line(text, start), f"đoạn văn có dấu ngoặc lồng nhau quá sâu ({deepest} cấp)", hint)
    opener, positions = max(unclosed.items(), key=lambda item: len(item[1]))
    return (text.count("\n", 0, positions[0]),
            f"đoạn văn có {len(positions)} dấu '{opener}' không có dấu '{_CLOSER[opener]}' đóng lại: "
            "xử lý Markdown sẽ mất nhiều phút", hint)


def _line(text: str, start: int) -> int:
    """The line, counted from 0, of a paragraph's first character (past a leading newline)."""
    return text.count("\n", 0, start) + (text[start:start + 1] == "\n")


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise OutOfTime inside the block once `seconds` (TIME_BUDGET) have passed.

    A timer signal can only be handled by a process's main thread, and Windows has none: elsewhere
    (the preview's watcher thread) the block runs unbounded, with `check` alone to guard it. The
    build's forked workers are each their process's main thread.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum, _frame) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds or TIME_BUDGET)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
