"""build --watch: every save leaves output/ exactly as a clean build of the same sources makes it.

The watcher patches what an edit of an article's text or fields reaches (watch.py) and hands
anything else to an ordinary build; both paths are compared here, byte for byte, with a clean
build into another folder. The command itself runs as a real process watching real files.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from generator.live.watch import Watcher
from generator.output.staged import Changes, output_as_written
from generator.pipeline import build
from generator.problems import BuildFailed
from generator.site import search
from tests.conftest import REPO
from tests.incremental.test_incremental import listed_changes, settings, tree


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_corpus(tmp_path, 24, seed=11)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def embedded(tmp_path: Path) -> Path:
    """The Department's own site, whose plans count the articles that answer them."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


def started(root: Path) -> Watcher:
    watcher = Watcher(settings(root))
    watcher.start(build(settings(root)))
    return watcher


def clean_build(root: Path) -> dict[str, bytes]:
    target = root / "clean"
    shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(root / ".clean-cache", ignore_errors=True)
    build(settings(root, output="clean", cache=".clean-cache"))
    return tree(target)


def articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "bai-viet").rglob("*.md"))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_of(root: Path, source: Path) -> Path:
    """The published page of an article, found through its title in output/ (any one page naming it
    in <h1>)."""
    slug = source.stem
    found = [p for p in (root / "output" / "tin-tuc").rglob("index.html") if p.parent.name == slug]
    assert len(found) == 1, slug
    return found[0]


# --- what a save patches ----------------------------------------------------------------------


def test_an_edit_of_the_text_is_patched_into_output_as_a_clean_build_makes_it(project: Path):
    watcher = started(project)
    target = articles(project)[5]
    append(target, "\nĐơn vị bổ sung kết quả thực hiện trong tuần.\n")
    update = watcher.apply([target])
    assert update.build is None  # patched, not built
    campaign = re.search(r"^campaign: (.+)$", target.read_text(encoding="utf-8"), re.M).group(1)
    # its page, the search index and the feeds that carry its text (24 articles: all in both feeds);
    # not its cards on the lists, made of fields the edit did not change
    assert set(update.written) == {page_of(project, target).relative_to(project / "output").as_posix(),
                                   search.INDEX_PATH, "atom.xml", f"chuyen-de/{campaign}/atom.xml"}
    assert "bổ sung kết quả thực hiện trong tuần" in page_of(project, target).read_text(encoding="utf-8")
    assert tree(project / "output") == clean_build(project)
    assert output_as_written(project / "output")  # the manifest records what the save wrote


def test_an_edit_of_a_title_reaches_every_list_and_related_news(project: Path):
    watcher = started(project)
    target = articles(project)[2]
    replace_in(target, "title: \"", "title: \"Cập nhật – ")
    update = watcher.apply([target])
    assert update.build is None
    assert len(update.written) > 3  # the article, its lists, tags, feeds, related news, the index
    assert tree(project / "output") == clean_build(project)


def test_a_site_under_a_sub_path_is_patched_with_its_base_url(project: Path):
    options = {"base_url": "https://sct.example.vn/chuyen-de/"}
    watcher = Watcher(settings(project, **options))
    watcher.start(build(settings(project, **options)))
    target = articles(project)[4]
    replace_in(target, 'title: "', 'title: "(Sửa) ')
    append(target, "\n[Bài liên quan](../../pages/gioi-thieu.md)\n")
    assert watcher.apply([target]).build is None
    build(settings(project, output="clean", cache=".clean-cache", **options))
    assert tree(project / "output") == tree(project / "clean")
    assert '/chuyen-de/gioi-thieu/' in page_of(project, target).read_text(encoding="utf-8")


def test_an_edit_of_a_page_is_patched(project: Path):
    watcher = started(project)
    target = project / "content" / "pages" / "gioi-thieu.md"
    replace_in(target, 'title: "', 'title: "(Bản sửa) ')
    append(target, "\nThêm một đoạn giới thiệu.\n")
    update = watcher.apply([target])
    assert update.build is None and update.written
    assert tree(project / "output") == clean_build(project)


def test_the_newest_article_edited_twice_in_a_row(project: Path):
    watcher = started(project)
    newest = max(articles(project), key=lambda p: re.search(r"^date: (.+)$", p.read_text(encoding="utf-8"),
                                                             re.M).group(1))
    replace_in(newest, "summary: \"", "summary: \"Tóm tắt mới. ")
    assert watcher.apply([newest]).build is None
    append(newest, "\nThêm đoạn văn thứ hai.\n")
    assert watcher.apply([newest]).build is None
    assert tree(project / "output") == clean_build(project)


def test_a_plans_pages_show_the_new_title_of_an_article_that_answers_it(embedded: Path):
    watcher = started(embedded)
    target = embedded / "content" / "bai-viet" / "2023" / "ngay-nuoc-the-gioi-2023.md"
    replace_in(target, "title: \"", "title: \"(Đã cập nhật) ")
    update = watcher.apply([target])
    assert update.build is None
    assert any(f.startswith("ke-hoach/") for f in update.written)
    assert tree(embedded / "output") == clean_build(embedded)


FIELD_EDITS = {  # the article that answers task 1.1 of the plan, every field it has but those that move it
    "title": ('title: "', 'title: "(Sửa) '),
    "summary": ('summary: "', 'summary: "Tóm tắt sửa. '),
    "cover_alt": ('cover_alt: "', 'cover_alt: "Ảnh: '),
    "updated": ("date: 2023-03-22\n", "date: 2023-03-22\nupdated: 2023-03-24\n"),
    "plan_task": ("plan_task: 1.1-nuoc\n", ""),
    "heading": ("\n## ", "\n## Mục mới\n\nĐoạn mới.\n\n## "),
}


@pytest.mark.parametrize("field", sorted(FIELD_EDITS))
def test_each_field_of_an_article_edited_gives_a_clean_builds_bytes(embedded: Path, field: str):
    watcher = started(embedded)
    target = embedded / "content" / "bai-viet" / "2023" / "ngay-nuoc-the-gioi-2023.md"
    replace_in(target, *FIELD_EDITS[field])
    update = watcher.apply([target])
    assert update.build is None and update.written
    assert tree(embedded / "output") == clean_build(embedded)


def test_changes_list_every_file_changed_since_the_build_before_the_watch(project: Path):
    build(settings(project))
    earlier = articles(project)[0]
    append(earlier, "\nSửa trước khi theo dõi.\n")
    watcher = Watcher(settings(project))
    result = build(settings(project))
    before_watch = set(result.changes.modified)
    assert before_watch  # what the build before the watch changed, not uploaded yet
    watcher.start(result)
    first, second = articles(project)[1], articles(project)[7]
    append(first, "\nMột câu.\n")
    written = set(watcher.apply([first]).written)
    append(second, "\nCâu khác.\n")
    written |= set(watcher.apply([second]).written)
    assert listed_changes(project / "output") == {("M", path) for path in before_watch | written}
    # the next ordinary build finds output/ already right: nothing to write
    result = build(settings(project))
    assert result.changes == Changes((), (), ())


def test_a_build_run_by_hand_between_saves_is_taken_up(project: Path):
    """The webmaster builds in another terminal while the watch runs: the next save compares with,
    and records into, the folder that build swapped in."""
    watcher = started(project)
    first, second = articles(project)[2], articles(project)[9]
    append(second, "\nSửa lần đầu khi đang theo dõi.\n")
    assert watcher.apply([second]).written
    append(first, "\nSửa rồi dựng bằng tay.\n")
    build(settings(project))
    assert watcher.apply([first]).written == ()  # the build wrote these bytes already
    append(second, "\nSửa khi đang theo dõi.\n")
    assert watcher.apply([second]).written
    assert output_as_written(project / "output")  # every file as the manifest records it
    assert tree(project / "output") == clean_build(project)


def test_a_scratch_file_that_came_and_went_within_the_batch_is_ignored(project: Path):
    watcher = started(project)
    target = articles(project)[4]
    append(target, "\nSửa bằng sed -i.\n")
    scratch = target.parent / "sedX1b2c3"  # sed -i writes here, then renames it over the file
    update = watcher.apply([target, scratch])
    assert update.build is None
    assert tree(project / "output") == clean_build(project)


# --- what a save hands to a build ---------------------------------------------------------------


def test_a_new_day_is_a_new_build_with_or_without_a_save(project: Path):
    """The watch runs past midnight: the plans' progress, the home page and articles scheduled for
    the new day change with the date, so the first tick of the day builds for it."""
    from datetime import timedelta

    from tests.conftest import TODAY

    day = [TODAY]
    watcher = Watcher(settings(project), today=lambda: day[0])
    watcher.start(build(settings(project)))
    assert watcher.tick() is None  # the same day: nothing to do
    day[0] = TODAY + timedelta(days=1)
    update = watcher.tick()
    assert update is not None and update.build is not None
    assert watcher.settings.today == day[0]
    assert watcher.tick() is None
    clean = settings(project, output="clean", cache=".clean-cache")
    build(dataclasses.replace(clean, today=day[0]))
    assert tree(project / "output") == tree(project / "clean")


def test_many_files_saved_at_once_are_built(project: Path):
    from generator.live.watch import PATCH_AT_MOST

    watcher = started(project)
    many = articles(project)[: PATCH_AT_MOST + 1]
    for path in many:
        append(path, "\nCập nhật hàng loạt.\n")
    update = watcher.apply(many)
    assert update.build is not None
    assert tree(project / "output") == clean_build(project)


@pytest.mark.parametrize("change", ["tags", "date", "new", "deleted", "template", "data", "image"])
def test_other_changes_are_built_and_give_a_clean_builds_bytes(project: Path, change: str):
    watcher = started(project)
    target = articles(project)[3]
    if change == "tags":
        replace_in(target, "tags: [", "tags: [thẻ mới, ")
    elif change == "date":
        text = target.read_text(encoding="utf-8")
        target.write_text(re.sub(r"^date: (\d{4})", lambda m: f"date: {int(m.group(1)) - 1}", text, count=1,
                                 flags=re.M), encoding="utf-8")
    elif change == "new":
        target = target.with_name("bai-moi-trong-luc-theo-doi.md")
        shutil.copy(articles(project)[3], target)
        replace_in(target, "title: \"", "title: \"Bài mới ")
        replace_in(target, "slug: ", "slug: bai-moi-")
    elif change == "deleted":  # one no other article links to
        texts = {p: p.read_text(encoding="utf-8") for p in articles(project)}
        target = next(p for p in texts if not any(p.name in t for q, t in texts.items() if q != p))
        target.unlink()
    elif change == "template":
        target = project / "templates" / "tag.html"
        replace_in(target, "{% block content %}", "{% block content %}<p>Theo thẻ</p>")
    elif change == "data":
        target = project / "content" / "_data" / "site.yaml"
        replace_in(target, "name: \"", "name: \"Cổng ")
    elif change == "image":
        target = next((project / "content").rglob("*.svg"))
        target.write_bytes(target.read_bytes().replace(b"</svg>", b"<!-- edited --></svg>"))
    update = watcher.apply([target])
    assert update.build is not None
    assert tree(project / "output") == clean_build(project)


def test_a_broken_save_is_reported_and_output_kept_until_it_is_fixed(project: Path):
    watcher = started(project)
    before = tree(project / "output")
    target = articles(project)[6]
    good = target.read_text(encoding="utf-8")
    target.write_text(good.replace("campaign: ", "campaign: khong-co-", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        watcher.apply([target])
    assert any(p.path.endswith(target.name) for p in failed.value.problems)
    assert tree(project / "output") == before
    other = articles(project)[1]
    append(other, "\nSửa bài khác khi bài kia còn lỗi.\n")
    with pytest.raises(BuildFailed):  # not patched: a build of these sources still fails
        watcher.apply([other])
    assert tree(project / "output") == before
    target.write_text(good + "\nĐã sửa.\n", encoding="utf-8")
    watcher.apply([target])
    assert tree(project / "output") == clean_build(project)


def test_a_save_with_a_warning_is_built_so_the_warning_is_reported(project: Path):
    watcher = started(project)
    target = articles(project)[8]
    append(target, '\n<p onclick="alert(1)">Đoạn có thuộc tính nguy hiểm.</p>\n')
    update = watcher.apply([target])
    assert update.build is not None
    assert [p.path for p in update.build.warnings] == [f"content/{target.relative_to(project / 'content')}"]
    assert tree(project / "output") == clean_build(project)


# --- the pieces -------------------------------------------------------------------------------


def test_changes_then_merges_as_one_list_against_the_first_folder():
    first = Changes(added=("a",), modified=("m",), deleted=("d",))
    later = Changes(added=("d", "n"), modified=("a", "m", "x"), deleted=("a", "m2"))
    merged = first.then(later)
    assert merged == Changes(added=("n",), modified=("d", "m", "x"), deleted=("m2",))
    assert Changes((), ("m",), ()).then(Changes((), (), ("m",))) == Changes((), (), ("m",))


def test_the_search_index_with_rows_replaced_is_the_index_made_afresh(project: Path):
    """SearchIndex.replace against index_json over the edited site, for edits that add common
    words, a word no other article has, and take words away."""
    from dataclasses import replace

    from generator.content.load import load_site
    from generator.incremental.bodies import render_bodies
    from generator.machinery import serial_map
    from generator.problems import Problems
    from generator.site.links import checked_base_url, link_context
    from tests.conftest import TODAY

    site = load_site(project / "content", Problems(root=project), published_by=TODAY)
    bodies = render_bodies(site, link_context(site, checked_base_url(site.config.base_url)), None,
                           Problems(root=project), serial_map)
    sources = [a.source.path.as_posix() for a in site.articles]
    terms = {s: search.body_terms(bodies[s]) for s in sources}
    index = search.SearchIndex(site, bodies, terms, {}, list(sources))
    held = {s: bodies[s] for s in sources}
    for position, words in ((5, "Đơn vị bổ sung kết quả"), (5, "zzqx 12345"), (9, ""), (0, "nước sạch")):
        article = site.articles[position]
        body = held[article.source.path.as_posix()]
        body = replace(body, text=body.text + " " + words)
        article = replace(article, title=article.title + (" " + words.split()[0] if words else ""))
        site = replace(site, articles=(*site.articles[:position], article, *site.articles[position + 1:]))
        held[article.source.path.as_posix()] = body
        terms[article.source.path.as_posix()] = search.body_terms(body)
        index.replace(site, article, body)
        assert index.data() == search.index_json(site, held, terms, {}, list(sources))


# --- the command ------------------------------------------------------------------------------


def test_build_watch_updates_output_on_save_and_stops_cleanly_on_ctrl_c(project: Path):
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--watch", "--today", "2026-11-24"], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        _wait_for_line(process.stderr, "Đang theo dõi", 120)
        target = articles(project)[2]
        append(target, "\nCâu viết khi đang theo dõi.\n")
        page = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            page = page or next((p for p in (project / "output" / "tin-tuc").rglob("index.html")
                                 if p.parent.name == target.stem), None)
            if page is not None and "Câu viết khi đang theo dõi." in page.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the saved article's page was not updated")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "Cập nhật" in out
    assert "Đã dừng theo dõi" in err


def _wait_for_line(stream, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        if text in line:
            return
    pytest.fail(f"no line with {text!r}")
