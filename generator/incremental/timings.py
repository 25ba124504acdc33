"""How long each stage of one build took: `awareness build --timings` prints it.

A stage ends where the next begins, so the stages add up to the whole build. Work done by a child
process beside the build (the search index, the link checker's map) shows as the time the build
waited for it, which is what a stage costs the person waiting.
"""

from __future__ import annotations

import time


class Stopwatch:
    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self._stages: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        """`stage` ended now; its time runs from the end of the stage before."""
        now = time.perf_counter()
        self._stages.append((stage, now - self._last))
        self._last = now

    @property
    def stages(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._stages)

    def total(self) -> float:
        return time.perf_counter() - self.started
