"""A body's plain text (for the search index and its snippets) read with two patterns from what
the sanitiser writes equals the text an HTML parser reads from it, for any body."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import write_corpus
from generator.markdown import sanitize
from generator.markdown.render import LinkContext, html_text, plain_text, render_body

ROOT = Path(__file__).resolve().parent.parent.parent
LINKS = LinkContext({}, "/")
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same_text(html: str) -> bool:
    """plain_text and html_text agree; and, unless the author wrote a class "heading-anchor" by hand,
    both agree with the tree edited as the build once did it (lxml's drop_tree: it raised on a body
    whose permalink is followed by a control character, and glued the words on either side of a
    hand-written one, "chữ<div class=heading-anchor>y</div>#" → "chữ#")."""
    import lxml.html

    from generator.markdown.render import _PERMALINK

    text = plain_text(html)
    if text != html_text(html):
        return False
    if "heading-anchor" in _PERMALINK.sub("", html):
        return True
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div") if html.strip() else None
        for anchor in root.find_class("heading-anchor") if root is not None else ():
            anchor.drop_tree()
    except ValueError:
        return True
    return text == (" ".join(" ".join(root.itertext()).split()) if root is not None else "")


def _html(markdown: str) -> str:
    return render_body(markdown, PurePosixPath("bai-viet/x.md"), 1, LINKS).html


def test_every_body_of_the_embedded_site_and_a_corpus(tmp_path):
    write_corpus(tmp_path, 120)
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(tmp_path.rglob("*.md"))
    assert len(files) > 120
    for path in files:
        html = _html(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
        assert html and _same_text(html), path


def test_headings_lose_their_permalink_sign_but_keep_the_words_around_it():
    html = _html("# Nước *sạch*\n\nChữ & <b>đậm</b> &lt;thẻ&gt; a&nbsp;b\n\n## Hai")
    assert plain_text(html) == html_text(html) == "Nước sạch Chữ & đậm <thẻ> a\xa0b Hai".replace("\xa0", " ")


MARKDOWN_PIECES = ["# ", "## ", "\n", "\n\n", " ", "chữ", "Đ", "*", "_", "`", "[a](b.md)", "![ảnh](a.png \"t>u\")",
                   "<b>", "</b>", "<span title=\"x > y\">", "</span>", "<a class=\"heading-anchor\">", "</a>",
                   "<!-- chú thích -->", "<script>x</script>", "&amp;", "&nbsp;", "&", "<", ">", "\"", "'",
                   "\u00a0", "\u2028", "\x0c", "\t", "- ", "1. ", "| a | b |\n|---|---|\n| c | d |\n", "    mã\n",
                   "```\n<code>\n```\n", "<div class=\"x heading-anchor\">y</div>", "<iframe src=\"https://a.vn\">",
                   "</iframe>", "<style>", "<![CDATA[", "]]>", "<![", "<?", "?>", "\x00", "\x01", "\ufeff", "[^1]: x"]


@SOME
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join))
def test_any_markdown(text):
    html = _html(text)  # and no exception, whatever the author typed
    assert _same_text(html)


@SOME
@given(st.lists(st.sampled_from([*"<>/=\"' &;#!-?abpia\n\u00a0", "<p>", "</p>", "<em>", "href=", "<a ",
                                 "class=\"heading-anchor\"", "title=\"x>y\""]), max_size=40).map("".join))
def test_any_markup_the_sanitiser_lets_through(markup):
    html, _removed = sanitize.clean(markup, markup, 1, PurePosixPath("x.md"))
    assert _same_text(html)


def test_the_parser_path_takes_control_characters_and_comments():
    """lxml refuses to set a text with a control character: making a parent for the fragment (or
    dropping a permalink) raised out of the build; the parser path only reads what lxml parsed."""
    assert html_text("\x0cchữ\x01 <b>đậm</b>") == "chữ\x01 đậm"
    assert html_text('<!-- c -->a<h2>T<a class="heading-anchor">#</a></h2>\x0cb') == "a T b"
