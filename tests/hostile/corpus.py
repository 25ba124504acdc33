"""The hostile corpus: what an attacker or an unlucky writer may put in a file, and what the author must be told.

One row per case: the files of a tiny site (added to tests/conftest.py's defaults), the file and line
the message must name, words it must hold, and its severity. test_hostile.py builds each; the next
round of hostile input adds its rows here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import CAMPAIGNS_YAML, DEPARTMENTS_YAML, SITE_YAML, article

A = "content/bai-viet/a.md"
SITE = "content/_data/site.yaml"
DEPARTMENTS = "content/_data/departments.yaml"
BODY = 7  # article(): ---, title, date, campaign, department, ---, then the body
EXTRA = 6  # article(): the line of the first extra key
SIZE = 100_000  # characters of each generated Markdown attack
LEAD = "Đoạn mở đầu bình thường.\n\n"  # so that the line named is the attack's, not the body's first


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    path: str  # the file the message names
    line: int | None
    words: str  # in the message
    severity: str = "error"


def repeated(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


def body_case(name: str, body: str, line: int, words: str) -> Case:
    return Case(name, {"bai-viet/a.md": article(body=LEAD + body + "\n")}, A, line, words)


def front(yaml_text: str) -> dict[str, str]:
    return {"bai-viet/a.md": f"---\n{yaml_text}---\nNội dung.\n"}


GOOD_FRONT = 'title: "A"\ndate: 2023-03-22\ncampaign: ngay-nuoc-the-gioi\ndepartment: phong-quan-ly-cong-nghiep\n'

# Markdown that Python-Markdown would take minutes over: each refused, naming the line of the attack.
SLOW_MARKDOWN = {
    "unclosed [": repeated("["),
    "unclosed <a": repeated("<a "),
    "unclosed ![": repeated("!["),
    "unclosed [a](": repeated("[a]("),
    "unclosed <http://": repeated("<http://"),
    "a run of backticks": repeated("`"),
    "backticks in one paragraph": repeated("``a`"),
    "unclosed code fences": repeated("```x\n"),
    "unclosed tilde fences": repeated("~~~x\n"),
    "inline tags": repeated("<b>a</b> "),
    "entities": repeated("&amp;"),
    "brackets nested 3000 levels": "[" * 3000 + "chữ" + "]" * 3000,
}

WORDS = {"unclosed code fences": "khối mã", "unclosed tilde fences": "khối mã",
         "brackets nested 3000 levels": "lồng nhau quá sâu"}

CASES = [
    *(body_case(f"slow Markdown: {name}", body, BODY + 2, WORDS.get(name, "Markdown"))
      for name, body in SLOW_MARKDOWN.items()),
    # Nesting that would reach Python's recursion limit
    body_case("a list nested 250 levels", "".join("    " * level + "- mục\n" for level in range(250)),
              BODY + 2 + 33, "lồng nhau quá sâu"),
    body_case("a quotation nested 250 levels", ">" * 250 + " trích dẫn", BODY + 2, "lồng nhau quá sâu"),
    # Over-long names
    Case("a 5000-character tag", {"bai-viet/a.md": article(tags="[" + "a" * 5000 + "]")}, A, EXTRA, "quá giới hạn"),
    Case("a title whose one word is 200 characters", {"bai-viet/a.md": article(title="x" * 200)}, A, 2, "slug"),
    Case("a 200-character slug", {"bai-viet/a.md": article(slug="-".join(["chu"] * 50))}, A, EXTRA, "quá giới hạn"),
    Case("a 300-character slug of one word", {"bai-viet/a.md": article(slug="x" * 300)}, A, EXTRA, "quá giới hạn"),
    Case("a 300-character department id", {"_data/departments.yaml": DEPARTMENTS_YAML + f"- {{id: {'d' * 300}, "
                                           'name: "Phòng dài", short_name: "Dài"}\n'},
         DEPARTMENTS, 3, "không hợp lệ"),
    # Keys written twice: YAML would keep the last silently
    Case("a front-matter key written twice", {"bai-viet/a.md": article(summary='"Một"', title_again="x")
                                              .replace("title_again: x", 'title: "Hai"')}, A, EXTRA + 1, "'title'"),
    Case("a data-file key written twice", {"_data/site.yaml": SITE_YAML.replace('phone: "0252 000 000"\n',
                                                                                 'phone: "1"\nphone: "2"\n')},
         SITE, 7, "'phone'"),
    # Invisible and bidirectional controls
    Case("U+202E in a title", {"bai-viet/a.md": article(title="Giờ \u202eTrái đất")}, A, 2, "U+202E", "warning"),
    Case("U+200B in a tag", {"bai-viet/a.md": article(tags='["nước\u200b"]')}, A, EXTRA, "U+200B", "warning"),
    Case("U+2066 in a summary", {"bai-viet/a.md": article(summary='"\u2066tóm tắt\u2069"')}, A, EXTRA, "U+2066",
         "warning"),
    Case("U+202E in a slug", {"bai-viet/a.md": article(slug='"gio\u202etrai"')}, A, EXTRA, "slug"),
    Case("U+200B in a campaign id", {"_data/campaigns.yaml": CAMPAIGNS_YAML.replace(
        "- id: gio-trai-dat", "- id: gio\u200b-trai-dat")}, "content/_data/campaigns.yaml", 6, "không hợp lệ"),
    # YAML mistakes in front matter, at the line where the mistake is
    Case("front matter: unclosed quote", front('title: "Giờ Trái đất\ndate: 2023-03-22\ncampaign: x\n'), A, 2,
         "ngoặc kép"),
    Case("front matter: unclosed single quote on the last line", front("date: 2023-03-22\ntitle: 'Giờ\n"), A, 3,
         "ngoặc kép"),
    Case("front matter: a tab", front(GOOD_FRONT + "\ttags: [a]\n"), A, 6, "Tab"),
    Case("front matter: a key indented", front(GOOD_FRONT.replace("date:", "  date:")), A, 3, "thụt lề"),
    Case("front matter: a missing colon", front(GOOD_FRONT.replace("date:", "date")), A, 3, "hai chấm"),
    Case("front matter: no space after the colon", front(GOOD_FRONT.replace("date: ", "date:")), A, 3, "hai chấm"),
    Case("front matter: a colon inside a value", front(GOOD_FRONT.replace('"A"', "Giờ Trái đất: 60 phút")), A, 2,
         "dấu ':'"),
    Case("front matter: an unclosed [", front(GOOD_FRONT + "tags: [nước, khí hậu\n"), A, 6, "[ mở"),
    Case("front matter: an unclosed {", front(GOOD_FRONT + "summary: {a: b\n"), A, 6, "{ mở"),
    # The same mistakes in a data file
    Case("data file: unclosed quote", {"_data/site.yaml": SITE_YAML.replace('"Sở Công Thương tỉnh Bình Thuận"',
                                                                             '"Sở Công Thương')}, SITE, 1, "ngoặc kép"),
    Case("data file: a tab", {"_data/site.yaml": SITE_YAML.replace('email:', '\temail:')}, SITE, 7, "Tab"),
    Case("data file: a missing colon", {"_data/site.yaml": SITE_YAML.replace("phone:", "phone")}, SITE, 6,
         "hai chấm"),
    Case("data file: an unclosed [", {"_data/departments.yaml": DEPARTMENTS_YAML + "- [a, b\n"}, DEPARTMENTS, 3,
         "[ mở"),
    Case("data file: a bad indent", {"_data/site.yaml": SITE_YAML.replace("  - {title: \"Tin tức\"",
                                                                          "   - {title: \"Tin tức\"")}, SITE, 12,
         "thụt lề"),
    # A file where a page's folder goes: the build could not write the page (was "lỗi không mong đợi")
    Case("a file named like an article's folder", {"bai-viet/a.md": article(slug="nuoc"),
                                                   "tin-tuc/2023/nuoc": "không phải thư mục"},
         "content/tin-tuc/2023/nuoc", None, "content/bai-viet/a.md:6"),
    Case("a file where an article's index.html goes", {"bai-viet/a.md": article(slug="nuoc"),
                                                       "tin-tuc/2023/nuoc/index.html": "<p>chép tay</p>"},
         "content/tin-tuc/2023/nuoc/index.html", None, "trùng chỗ với trang"),
]
