"""What the extractor reads from built HTML and CSS: every kind of reference, every anchor."""

from __future__ import annotations

from generator.linkcheck.extract import extract_css, extract_html, srcset_urls

PAGE = b"""<!DOCTYPE html><html><head>
<base href="/chuyen-de/">
<meta http-equiv="refresh" content="5; URL='/tin-tuc/'">
<link rel="stylesheet" href="/a.css"><link rel="preconnect" href="https://cdn.example.org">
<script src="/s.js"></script></head>
<body><main id="noi-dung"><h2 id="muc-1">M\xe1\xbb\xa5c</h2>
<p>text <a href="#muc-1">a</a> <a name="cu"></a></p>
<map><area href="/vung/" alt=""></map>
<picture><source srcset="/a-480.webp 480w, /a-960.webp 960w">
<img src="/a.png" srcset="/a.png, /a@2x.png 2x" alt=""></picture>
<video poster="/p.jpg" src="/v.mp4"><track src="/v.vtt"></video><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
</main></body></html>"""


def test_every_kind_of_reference_is_read():
    links = extract_html(PAGE)
    assert set(links.references) == {
        ("base[href]", "/chuyen-de/"), ("meta[refresh]", "/tin-tuc/"), ("link[href]", "/a.css"),
        ("script[src]", "/s.js"), ("a[href]", "#muc-1"), ("area[href]", "/vung/"),
        ("source[srcset]", "/a-480.webp"), ("source[srcset]", "/a-960.webp"), ("img[src]", "/a.png"),
        ("img[srcset]", "/a.png"), ("img[srcset]", "/a@2x.png"), ("video[poster]", "/p.jpg"),
        ("video[src]", "/v.mp4"), ("track[src]", "/v.vtt"), ("iframe[src]", "https://www.youtube-nocookie.com/embed/x"),
    }
    assert links.base == "/chuyen-de/"


def test_anchors_include_ids_made_anywhere_and_a_name():
    assert extract_html(PAGE).anchors == {"noi-dung", "muc-1", "cu"}


def test_srcset_follows_the_html_rules():
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("/x,y.png 100w,/z.png 200w") == ["/x,y.png", "/z.png"]  # a comma inside a URL stays
    assert srcset_urls("a.png,b.png") == ["a.png,b.png"]
    assert srcset_urls("  ") == []


def test_stylesheet_urls_and_imports_skip_comments_and_data():
    links = extract_css('/* url(old.png) */ @import "base.css"; a { background: url( "i.png" ) }'
                        " b { background: url(data:image/png;base64,AAAA) } c { src: url(f.woff2) }")
    assert [url for _kind, url in links.references] == ["base.css", "i.png", "f.woff2"]


def test_elements_nested_in_a_link_are_read_in_document_order():
    links = extract_html(b'<p><a href="/x/" id="lien-ket"><img src="/y.png" srcset="/y@2x.png 2x" alt="">'
                         b'<span id="trong"><a name="cu"></a></span></a><a href="/x/">again</a>'
                         b'<img src="/z.png" alt=""></p>')
    assert links.references == (("a[href]", "/x/"), ("img[src]", "/y.png"), ("img[srcset]", "/y@2x.png"),
                                ("img[src]", "/z.png"))
    assert links.anchors == {"lien-ket", "trong", "cu"}
    assert links.base is None
