"""Properties that must hold for any input: safe slugs, and a build that never crashes on front matter.

Whatever an author writes, the build either succeeds or raises BuildFailed with problems to show;
any other exception would reach the author as a traceback.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.frontmatter_schema import ARTICLE_FIELDS
from generator.problems import BuildFailed
from generator.vietnamese.text import slugify
from tests.conftest import SiteDir

SAFE_SEGMENT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_slugify_gives_a_safe_ascii_path_segment_or_nothing(text):
    slug = slugify(text)
    assert slug == "" or SAFE_SEGMENT.match(slug)
    assert ".." not in slug and "/" not in slug and "\\" not in slug and slug.isascii()


@FAST
@given(st.text(alphabet=st.sampled_from("./\\.-_ ~%:?#ĐđÁàẢãẠ\x00\u202e\ufe0f" + "abc012")))
def test_slugify_of_path_like_text_is_still_one_segment(text):
    slug = slugify(text)
    assert slug == "" or SAFE_SEGMENT.match(slug)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.dates(min_value=date(1, 1, 1)), st.datetimes(min_value=datetime(1, 1, 1)),
    st.sampled_from(["2023-03-22", "22/03/2023", "32/13/2023", "ngay-nuoc-the-gioi", "gio-trai-dat",
                     "phong-quan-ly-cong-nghiep", "../../etc", "<script>alert(1)</script>", "có lẽ", ""]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
keys = st.one_of(st.sampled_from(sorted(ARTICLE_FIELDS)), st.text(max_size=12))
VALID = {"title": "Bài viết", "date": "2023-03-22", "campaign": "ngay-nuoc-the-gioi",
         "department": "phong-quan-ly-cong-nghiep"}


def build_once(text: str | bytes) -> None:
    """Build a one-article site; anything but success or BuildFailed fails the property."""
    # the first build's spare folder is cloned by a detached process, which may still be at work
    # when the folder is removed (write.clone_in_background); it stops when it finds it gone
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
        site = SiteDir(Path(folder), {"bai-viet/a.md": text})
        try:
            site.build(cache=None)
        except BuildFailed as failed:
            assert failed.problems and all(p.path and p.message for p in failed.problems)


@FAST
@given(st.fixed_dictionaries({}, optional={k: values for k in VALID}).flatmap(
    lambda base: st.dictionaries(keys, values, max_size=5).map(lambda extra: {**VALID, **base, **extra})),
    st.text(max_size=200))
def test_arbitrary_front_matter_builds_or_reports_problems(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    build_once(text)


RAW_VALUES = st.one_of(st.text(max_size=30), st.sampled_from([
    "2023-02-30", "2023-03-22 25:00:00", "2023-13-01", "[a, b", "{x: 1", "&a [*a]", "*nothing", "!!binary AAAA",
    "!!python/object/apply:os.system ['true']", "'unclosed", '"\\x0b"', "|\n  khối\n  chữ", ">-", "~", ".nan",
    "-.inf", "0o777", "1e400", "- a", ": :", "|", "---", "...", "\ufeff", "\t", "<![CDATA[x]]>",
]))


@settings(FAST, max_examples=50)
@given(st.lists(st.tuples(keys, RAW_VALUES), max_size=6), st.text(max_size=100))
def test_arbitrary_front_matter_lines_build_or_report_problems(lines, body):
    """Raw YAML lines (unclosed brackets, impossible dates, tags, aliases) after valid keys."""
    front = "".join(f"{k}: {v}\n" for k, v in VALID.items()) + "".join(f"{k}: {v}\n" for k, v in lines)
    build_once("---\n" + front + "---\n" + body)


@settings(FAST, max_examples=40)
@given(st.text(max_size=300))
def test_arbitrary_text_after_the_opening_line_builds_or_reports_problems(text):
    build_once("---\n" + text)


@settings(FAST, max_examples=25)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_build_or_report_problems(data):
    build_once(data)
