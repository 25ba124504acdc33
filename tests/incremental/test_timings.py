"""`awareness build --timings`: each stage of the build with its seconds (generator/incremental/timings.py).

No time is asserted: only that every stage is named, in the order the build runs them, and that the
stages add up to the whole build, since each one ends where the next begins.
"""

from __future__ import annotations

import re

from conftest import article

FULL_BUILD = ["đọc tệp đầu vào", "so với lần dựng trước", "đọc tệp Markdown", "nạp và kiểm tra nội dung",
              "xử lý ảnh", "Markdown", "định tuyến", "thư mục tạm và bộ đệm trang", "khóa của từng trang",
              "đặt các trang không đổi", "dựng trang", "chờ chỉ mục tìm kiếm", "tệp tĩnh", "ghi ảnh",
              "danh sách tệp và hoán đổi output/", "lưu bộ đệm", "chờ bản đồ nguồn của trình kiểm tra liên kết"]
LINE = re.compile(r"^ +(\d+\.\d{3})  (.+)$")


def _stages(stderr: str) -> list[tuple[str, float]]:
    lines = stderr.splitlines()
    start = lines.index("Thời gian từng bước (giây):")
    return [(m.group(2), float(m.group(1))) for m in map(LINE.match, lines[start + 1:]) if m]


def test_a_build_result_names_its_stages_in_order_and_they_add_up(make_site):
    site = make_site({"bai-viet/a.md": article("Bài A"), "bai-viet/b.md": article("Bài B")})
    result = site.build()
    assert [name for name, _ in result.stages] == FULL_BUILD
    assert all(seconds >= 0 for _, seconds in result.stages)
    assert sum(seconds for _, seconds in result.stages) <= result.seconds
    again = site.build()
    assert again.replayed
    assert [name for name, _ in again.stages] == FULL_BUILD[:2], "nothing changed: nothing else was done"


def test_the_command_prints_the_stages_only_when_asked(make_site):
    site = make_site({"bai-viet/a.md": article("Bài A")})
    quiet = site.cli("build", "--today", "2026-11-24")
    assert quiet.returncode == 0 and "Thời gian từng bước" not in quiet.stderr
    (site.content / "bai-viet" / "b.md").write_text(article("Bài B"), encoding="utf-8")
    timed = site.cli("build", "--today", "2026-11-24", "--timings")
    assert timed.returncode == 0, timed.stderr
    stages = _stages(timed.stderr)
    assert [name for name, _ in stages] == [*FULL_BUILD, "cả lần dựng"]
    *parts, (_, whole) = stages
    assert sum(seconds for _, seconds in parts) <= whole + 0.001 * len(parts)  # each printed to the ms
