"""Plans as data: task status, reference checks, the report, schedule warnings, the plan commands."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import pytest
from bs4 import BeautifulSoup

from generator.content.load import load_site
from generator.plan.status import DONE, OVERDUE, PENDING, build_report
from generator.problems import BuildFailed, Problems
from tests.conftest import article

PLAN_YAML = """\
id: 9-KH-SCT
number: "9/KH-SCT"
date: 2023-03-21
place: "Bình Thuận"
issuer: "Sở Công Thương"
issuer_parent: "UBND tỉnh Bình Thuận"
title: "Tổ chức hưởng ứng Ngày Nước thế giới, Chiến dịch Giờ Trái đất năm 2023"
year: 2023
campaigns: [ngay-nuoc-the-gioi, gio-trai-dat]
objectives: ["Nâng cao nhận thức."]
content:
  - number: "1"
    text: "Viết bài theo chủ đề:"
    tasks:
      - {id: t-nuoc, title: "Bài Ngày Nước", kind: article, campaign: ngay-nuoc-the-gioi,
         lead: phong-quan-ly-cong-nghiep, assignment: "Phân công: phòng Quản lý Công nghiệp."}
      - {id: t-gio, title: "Bài Giờ Trái đất", kind: article, campaign: gio-trai-dat,
         lead: phong-quan-ly-nang-luong, assignment: "Phân công: phòng Quản lý Năng lượng."}
  - number: "2"
    text: "Hoạt động Giờ Trái đất và báo cáo."
    tasks:
      - {id: t-hoat-dong, title: "Hoạt động Giờ Trái đất", kind: activity, campaign: gio-trai-dat,
         lead: phong-quan-ly-nang-luong, due: 2023-03-31}
board:
  - {slogan: "Tiết kiệm năng lượng vì Trái đất.", start: 2023-03-25, campaign: gio-trai-dat}
  - slogan: "Bảo vệ tài nguyên nước."
    start: {start}
    end: 2023-04-15
    campaign: ngay-nuoc-the-gioi
report: {deadline: 2023-04-18, to: phong-quan-ly-cong-nghiep, forward_to: "Sở Tài nguyên và Môi trường"}
recipients: ["Các Phòng, đơn vị;"]
signer: {title: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name: "Trần Minh Hoài"}
"""

RESULT = """\
---
kind: result
plan_task: t-hoat-dong
department: phong-quan-ly-nang-luong
date: 2023-03-25
title: "Tắt đèn tại trụ sở (ví dụ kiểm thử)"
figures:
  "Số đèn đã tắt": 40
  "Điện năng tiết kiệm (kWh)": 12
---
Ví dụ kiểm thử: số liệu không có thật.
"""


def plan_files(start: str = "2023-04-07", **extra: str) -> dict[str, str]:
    return {"_data/plans/9-KH-SCT.yaml": PLAN_YAML.replace("{start}", start), **extra}


NUOC = article("Thúc đẩy sự thay đổi", date="2023-03-22", plan_task="t-nuoc")


def report_for(site_dir, today: date):
    problems = Problems(root=site_dir.root)
    site = load_site(site_dir.content, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return site, build_report(site, site.plans[0], today)


def states(report) -> dict[str, str]:
    return {s.task.id: s.state for s in report.statuses}


def test_status_done_pending_and_overdue(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    _, before = report_for(site_dir, date(2023, 3, 30))
    assert states(before) == {"t-nuoc": DONE, "t-gio": PENDING, "t-hoat-dong": PENDING}
    _, due_day = report_for(site_dir, date(2023, 3, 31))  # the task's own deadline: late from that day
    assert states(due_day)["t-hoat-dong"] == OVERDUE and states(due_day)["t-gio"] == PENDING
    _, after = report_for(site_dir, date(2023, 4, 18))  # "trước ngày 18/4": the 18th is already late
    assert states(after) == {"t-nuoc": DONE, "t-gio": OVERDUE, "t-hoat-dong": OVERDUE}
    [nuoc] = [s for s in after.statuses if s.task.id == "t-nuoc"]
    assert [a.title for a in nuoc.articles] == ["Thúc đẩy sự thay đổi"]


def test_an_article_not_yet_published_does_not_count(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    _, report = report_for(site_dir, date(2023, 3, 21))
    assert states(report)["t-nuoc"] == PENDING


def test_activity_needs_a_result_entry_not_just_an_article(make_site):
    gio = article("Giờ Trái đất", date="2023-03-25", campaign="gio-trai-dat",
                  department="phong-quan-ly-nang-luong", plan_task="t-hoat-dong")
    _, without = report_for(make_site(plan_files(**{"bai-viet/gio.md": gio})), date(2023, 4, 1))
    assert states(without)["t-hoat-dong"] == OVERDUE


def test_result_entry_marks_the_activity_done_and_is_not_published(make_site):
    site_dir = make_site(plan_files(**{"ket-qua/gio.md": RESULT}))
    site, report = report_for(site_dir, date(2023, 4, 1))
    assert states(report)["t-hoat-dong"] == DONE
    [status] = [s for s in report.statuses if s.task.id == "t-hoat-dong"]
    assert status.results[0].figures == (("Số đèn đã tắt", "40"), ("Điện năng tiết kiệm (kWh)", "12"))
    assert site.articles == ()


def problems_of(site_dir) -> list:
    with pytest.raises(BuildFailed) as failed:
        site_dir.build()
    return failed.value.problems


def test_article_for_the_wrong_office_is_an_error_at_its_line(make_site):
    wrong = article("Giờ Trái đất", date="2023-03-25", campaign="gio-trai-dat",
                    department="phong-quan-ly-cong-nghiep", plan_task="t-gio")
    [problem] = problems_of(make_site(plan_files(**{"bai-viet/gio.md": wrong})))
    assert (problem.path, problem.line) == ("content/bai-viet/gio.md", 5)  # the department line
    assert "phong-quan-ly-nang-luong" in problem.message and "t-gio" in problem.message


def test_article_for_the_wrong_campaign_or_year_or_an_unknown_task(make_site):
    files = plan_files(**{
        "bai-viet/a.md": article("A", date="2023-03-22", campaign="gio-trai-dat", plan_task="t-nuoc"),
        "bai-viet/b.md": article("B", date="2024-03-22", plan_task="t-nuoc"),
        "bai-viet/c.md": article("C", date="2023-03-22", plan_task="t-nuco"),
    })
    found = {p.path: p for p in problems_of(make_site(files))}
    assert "Ngày Nước thế giới" in found["content/bai-viet/a.md"].message
    assert found["content/bai-viet/a.md"].line == 4  # campaign
    assert "2024" in found["content/bai-viet/b.md"].message and "2023" in found["content/bai-viet/b.md"].message
    assert "'t-nuoc'" in found["content/bai-viet/c.md"].hint  # did you mean


def test_unknown_office_in_the_plan_is_an_error_naming_the_plan_file(make_site):
    files = plan_files()
    files["_data/plans/9-KH-SCT.yaml"] = files["_data/plans/9-KH-SCT.yaml"].replace(
        "lead: phong-quan-ly-nang-luong, assignment", "lead: phong-nang-luong, assignment")
    [problem] = problems_of(make_site(files))
    assert problem.path == "content/_data/plans/9-KH-SCT.yaml" and problem.line == 18  # the lead: key
    assert "phong-nang-luong" in problem.message and "phong-quan-ly-nang-luong" in problem.hint


def test_the_2022_slip_gets_a_warning_naming_file_entry_and_fix(make_site):
    site_dir = make_site(plan_files(start="2022-04-07"))
    command = site_dir.cli("build")
    assert command.returncode == 0  # a warning does not stop the build
    assert "cảnh báo: content/_data/plans/9-KH-SCT.yaml:26: khẩu hiệu" in command.stderr
    result = site_dir.build()
    [warning] = result.warnings
    assert warning.path == "content/_data/plans/9-KH-SCT.yaml" and warning.line == 26  # the entry
    assert "Bảo vệ tài nguyên nước" in warning.message and "07/04/2022" in warning.message
    assert "07/04/2023" in warning.hint and "2023-04-07" in warning.hint


@pytest.mark.parametrize("start, end, expected", [
    ("2023-04-20", "2023-04-15", "trước ngày bắt đầu"),
    ("2023-09-01", "2023-09-02", "cách Ngày Nước thế giới"),
])
def test_other_schedule_slips_are_warned(make_site, start, end, expected):
    files = plan_files(start=start)
    files["_data/plans/9-KH-SCT.yaml"] = files["_data/plans/9-KH-SCT.yaml"].replace("end: 2023-04-15", f"end: {end}")
    messages = [w.message for w in make_site(files).build().warnings]
    assert any(expected in m for m in messages), messages


def test_the_correct_schedule_gives_no_warning(make_site):
    assert make_site(plan_files()).build().warnings == ()


def test_plan_page_is_the_administrative_document(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    site_dir.build()
    page = site_dir.html("ke-hoach/9-kh-sct/")
    header = page.select_one(".doc-header")
    assert header.select_one(".doc-number").get_text() == "Số: 9/KH-SCT"
    assert header.select_one(".doc-date").get_text() == "Bình Thuận, ngày 21 tháng 3 năm 2023"
    assert [h.get_text() for h in page.select(".admin-doc h2")] == [
        "I. Mục tiêu", "II. Nội dung thực hiện", "III. Báo cáo kết quả"]
    assert page.select_one(".doc-signer-title").get_text("|") == "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC"
    assert page.select_one(".doc-signer").get_text() == "Trần Minh Hoài"
    bullets = [p.get_text() for p in page.select(".doc-bullet")]
    assert "- Từ ngày 07/04/2023 đến ngày 15/04/2023: Bảo vệ tài nguyên nước." not in bullets  # no board task
    assert [p.get_text() for p in page.select(".doc-assignment")] == [
        "Phân công: phòng Quản lý Công nghiệp.", "Phân công: phòng Quản lý Năng lượng."]


def test_progress_page_has_a_table_per_office(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    site_dir.build()  # conftest's TODAY is 2026: every unfinished task is overdue
    page = site_dir.html("ke-hoach/9-kh-sct/tien-do/")
    offices = [s.h2.get_text() for s in page.select(".office-progress")]
    assert offices == ["Phòng Quản lý Công nghiệp", "Phòng Quản lý Năng lượng"]
    row = page.select_one("#nv-t-nuoc")
    assert row.select_one(".status").get_text() == "Đã thực hiện"
    assert row.select_one(".evidence a")["href"] == "/tin-tuc/2023/thuc-day-su-thay-doi/"
    assert page.select_one("#nv-t-gio .status").get_text() == "Quá hạn"


def test_report_content_from_what_was_published(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC, "ket-qua/gio.md": RESULT}))
    site_dir.build(today=date(2023, 4, 17))
    page = site_dir.html("ke-hoach/9-kh-sct/bao-cao/")
    assert page.select_one(".doc-date").get_text() == "Bình Thuận, ngày 17 tháng 4 năm 2023"
    tasks = {s["aria-labelledby"]: s for s in page.select(".report-task")}
    assert tasks["bc-t-nuoc"].select_one("a")["href"] == "/tin-tuc/2023/thuc-day-su-thay-doi/"
    figures = {th.get_text(): th.find_next("td").get_text() for th in tasks["bc-t-hoat-dong"].select("th")}
    assert figures == {"Số đèn đã tắt": "40", "Điện năng tiết kiệm (kWh)": "12"}
    unfinished = page.select_one('[aria-labelledby="ton-tai"]').get_text(" ", strip=True)
    assert "Bài Giờ Trái đất" in unfinished and "Bài Ngày Nước" not in unfinished


def test_cli_report_text_and_markdown(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC, "ket-qua/gio.md": RESULT}))
    text = site_dir.cli("report", "--plan", "9-kh-sct", "--today", "2023-04-20")
    assert text.returncode == 0, text.stderr
    assert "Tính đến ngày 20 tháng 4 năm 2023, đã thực hiện 2/3 nhiệm vụ" in text.stdout
    assert "Bài viết: Thúc đẩy sự thay đổi (Phòng QLCN, 22/03/2023): " \
           "https://sct.example.gov.vn/tin-tuc/2023/thuc-day-su-thay-doi/" in text.stdout
    assert "Điện năng tiết kiệm (kWh): 12" in text.stdout
    assert "Bài Giờ Trái đất (Phòng Quản lý Năng lượng): quá hạn, hạn trước 18/04/2023." in text.stdout
    md = site_dir.cli("report", "--today", "2023-04-20", "--format", "md")
    assert "## I. Kết quả thực hiện" in md.stdout.splitlines()


def test_cli_report_html_is_a_standalone_printable_file(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    result = site_dir.cli("report", "--today", "2023-04-20", "--format", "html")
    page = BeautifulSoup(result.stdout, "lxml")
    assert "size: A4" in page.style.get_text()
    assert not page.select('link[rel="stylesheet"]')
    assert page.select_one("#bc-t-nuoc").find_next("a")["href"] == \
        "https://sct.example.gov.vn/tin-tuc/2023/thuc-day-su-thay-doi/"


def test_cli_plan_table_and_usage_errors(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    table = site_dir.cli("plan", "--today", "2023-04-01").stdout.splitlines()
    assert table[0] == "Kế hoạch số 9/KH-SCT – tính đến 01/04/2023: 1/3 nhiệm vụ đã thực hiện"
    rows = {line.split()[0]: line for line in table[3:]}
    assert "Đã thực hiện" in rows["t-nuoc"] and "Quá hạn" in rows["t-hoat-dong"]
    unknown = site_dir.cli("plan", "--plan", "10-KH-SCT")
    assert unknown.returncode == 2 and "9-KH-SCT" in unknown.stderr


def test_cli_report_exits_1_on_broken_content(make_site):
    wrong = article("Sai", date="2023-03-22", department="phong-quan-ly-nang-luong", plan_task="t-nuoc")
    result = make_site(plan_files(**{"bai-viet/sai.md": wrong})).cli("report")
    assert result.returncode == 1 and "content/bai-viet/sai.md:5:" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_digest_writes_html_and_text(make_site):
    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    result = site_dir.cli("digest", "--plan", "9-KH-SCT", "--today", "2023-03-24", "--out", "thu")
    assert result.returncode == 0, result.stderr
    html_path, text_path, eml_path = result.stdout.split()
    assert (html_path, text_path, eml_path) == (
        "thu/9-kh-sct-2023-03-24.html", "thu/9-kh-sct-2023-03-24.txt", "thu/9-kh-sct-2023-03-24.eml")
    message = email.message_from_bytes((site_dir.root / eml_path).read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("[Sở Công Thương] Tài liệu tuyên truyền")
    assert message["From"] == "sct@example.gov.vn"
    assert message.get_body(("plain",)).get_content() == (site_dir.root / text_path).read_text(encoding="utf-8")
    assert "thuc-day-su-thay-doi" in message.get_body(("html",)).get_content()
    text = (site_dir.root / text_path).read_text(encoding="utf-8")
    assert text.startswith("Tiêu đề: [Sở Công Thương] Tài liệu tuyên truyền: tổ chức hưởng ứng")
    assert "- Thúc đẩy sự thay đổi (22/03/2023): https://sct.example.gov.vn/tin-tuc/2023/thuc-day-su-thay-doi/" in text
    mail = BeautifulSoup((site_dir.root / html_path).read_text(encoding="utf-8"), "lxml")
    links = [a["href"] for a in mail.select("a")]
    assert "https://sct.example.gov.vn/tin-tuc/2023/thuc-day-su-thay-doi/" in links
    assert all(link.startswith("https://") for link in links)
    refused = site_dir.cli("digest", "--out", "output/thu")
    assert refused.returncode == 2


def test_new_task_scaffolds_the_article_the_task_asks_for(make_site):
    site_dir = make_site(plan_files())
    result = site_dir.cli("new", "--task", "t-gio")
    assert result.returncode == 0, result.stderr
    path = site_dir.root / result.stdout.strip()
    assert path.parent.as_posix().endswith("content/bai-viet/2023")
    text = path.read_text(encoding="utf-8")
    for line in ("campaign: gio-trai-dat", "department: phong-quan-ly-nang-luong", "plan_task: t-gio",
                 "year: 2023", "theme: Thời khắc quan trọng cho Trái đất", "draft: true"):
        assert line in text.splitlines(), line
    activity = site_dir.cli("new", "--task", "t-hoat-dong")
    assert "content/ket-qua/2023/" in activity.stdout and "kind: result" in \
        (site_dir.root / activity.stdout.strip()).read_text(encoding="utf-8")
    site_dir.build()  # both drafts load cleanly and are left out
    assert site_dir.cli("new", "--task", "t-gi").returncode == 2


def test_embedded_plan_647_is_transcribed_faithfully():
    from tests.conftest import REPO
    problems = Problems(root=REPO)
    site = load_site(REPO / "content", problems)
    assert not [p for p in problems.items if "plans" in p.path], [p.format() for p in problems.items]
    [plan] = site.plans
    assert (plan.number, plan.issued, plan.place, plan.signer, plan.signer_title) == (
        "647/KH-SCT", date(2023, 3, 21), "Bình Thuận", "Trần Minh Hoài", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
    assert [(r.number, r.issued) for r in plan.implements] == [
        ("1663/BTNMT-TTTT", date(2023, 3, 16)), ("1017/STNMT-TNNKS", date(2023, 3, 16))]
    tasks = {t.id: (t.kind, t.lead, t.support, t.campaign) for t in plan.tasks}
    assert tasks == {
        "1.1-nuoc": ("article", "phong-quan-ly-cong-nghiep", (), "ngay-nuoc-the-gioi"),
        "1.1-khi-tuong": ("article", "phong-quan-ly-cong-nghiep", (), "ngay-khi-tuong-the-gioi"),
        "1.1-gio-trai-dat": ("article", "phong-quan-ly-nang-luong", (), "gio-trai-dat"),
        "1.2-tai-lieu": ("materials", "van-phong-so", ("trung-tam-khuyen-cong",), ""),
        "2-gio-trai-dat": ("activity", "phong-quan-ly-nang-luong", (), "gio-trai-dat"),
        "3-bang-dien-tu": ("board", "van-phong-so", (), ""),
    }
    water = plan.board[1]
    assert (water.start, water.end) == (date(2023, 4, 7), date(2023, 4, 15))
    assert "07/4/2022" in water.note  # the signed text's slip, quoted
    assert (plan.report_deadline, plan.report_to) == (date(2023, 4, 18), "phong-quan-ly-cong-nghiep")
    assert plan.recipients == ("Các Phòng, đơn vị;", "Giám đốc, các Phó Giám đốc Sở;", "Lưu: VT, VP (Thanh).")


def test_a_result_entry_cannot_stand_in_for_an_essay(make_site):
    essay_result = RESULT.replace("plan_task: t-hoat-dong", "plan_task: t-gio")
    [problem] = problems_of(make_site(plan_files(**{"ket-qua/gio.md": essay_result})))
    assert (problem.path, problem.line) == ("content/ket-qua/gio.md", 3)
    assert "cần một bài viết" in problem.message


def test_plans_of_other_years_sit_beside_and_share_task_ids(make_site):
    next_year = (PLAN_YAML.replace("{start}", "2024-04-07").replace("9-KH-SCT", "12-KH-SCT")
                 .replace("9/KH-SCT", "12/KH-SCT").replace("2023", "2024"))
    site_dir = make_site(plan_files(**{
        "_data/plans/12-KH-SCT.yaml": next_year,
        "bai-viet/nuoc-2024.md": article("Nước cho hòa bình", date="2024-03-22", plan_task="t-nuoc"),
    }))
    problems = Problems(root=site_dir.root)
    site = load_site(site_dir.content, problems)
    assert not problems.items, [p.format() for p in problems.items]
    assert [p.id for p in site.plans] == ["12-KH-SCT", "9-KH-SCT"]  # newest first
    by_plan = {p.id: states(build_report(site, p, date(2024, 4, 1))) for p in site.plans}
    assert by_plan["12-KH-SCT"]["t-nuoc"] == DONE and by_plan["9-KH-SCT"]["t-nuoc"] == OVERDUE
    site_dir.build()
    listed = site_dir.html("ke-hoach/").select("ul.plan-list > li > a:first-child")
    assert [a.get_text() for a in listed] == ["Kế hoạch số 12/KH-SCT", "Kế hoạch số 9/KH-SCT"]
    assert (site_dir.output / "ke-hoach/9-kh-sct/bao-cao/index.html").is_file()


def test_broken_plan_yaml_is_reported_with_its_line(make_site):
    broken = PLAN_YAML.replace("{start}", "2023-04-07").replace('title: "Bài Ngày Nước",', 'title: "Bài Ngày Nước,')
    [problem] = problems_of(make_site({"_data/plans/9-KH-SCT.yaml": broken}))
    assert problem.path == "content/_data/plans/9-KH-SCT.yaml" and problem.line is not None
    assert "YAML" in problem.message


def test_a_task_of_unknown_kind_is_an_error_with_the_valid_kinds(make_site):
    files = plan_files()
    files["_data/plans/9-KH-SCT.yaml"] = files["_data/plans/9-KH-SCT.yaml"].replace("kind: activity", "kind: activty")
    [problem] = problems_of(make_site(files))
    assert problem.line == 22 and "activty" in problem.message and "activity" in problem.hint


def test_a_malformed_list_in_the_plan_is_an_error_not_a_crash(make_site):
    files = plan_files()
    files["_data/plans/9-KH-SCT.yaml"] = files["_data/plans/9-KH-SCT.yaml"].replace(
        'recipients: ["Các Phòng, đơn vị;"]', "recipients: {Các Phòng: 1}")
    [problem] = problems_of(make_site(files))
    assert problem.line == 31 and "recipients" in problem.message


def test_a_reader_that_goes_away_gets_no_error_message(make_site):
    """`awareness plan | head -1`: the closed pipe is not reported as an unexpected error."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    site_dir = make_site(plan_files(**{"bai-viet/nuoc.md": NUOC}))
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone
    try:
        done = subprocess.run([sys.executable, "-m", "generator", "plan", "--today", "2023-04-20"], cwd=site_dir.root,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == ""
