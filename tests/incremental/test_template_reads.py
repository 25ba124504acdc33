"""What a template reads, from Jinja's parse tree (generator/incremental/template_reads.py), and the
page keys built on it (fingerprint.TemplateKeys): only template code counts, never its comments or
the HTML and scripts around it, and a name that may hold another item makes every body count."""

from __future__ import annotations

import pytest

from generator.incremental.fingerprint import TemplateKeys, template_closure
from generator.incremental.template_reads import reads


def test_the_names_passed_to_the_body_helpers_are_the_bodies_shown():
    found = reads("{{ body(article) }}{% include 'partials/toc.html' %}{{ headings(article) }}")
    assert found.bodies == {"article"}
    assert found.templates == ("partials/toc.html",)
    assert not found.all_items


@pytest.mark.parametrize("source", [
    "{# body(article) and site.articles, in a comment #}<p>body(x)</p>",
    "<script>document.body.classList.add('js'); site.articles = [];</script>",
])
def test_comments_html_and_scripts_are_not_template_code(source):
    found = reads(source)
    assert found.bodies == frozenset() and not found.all_items


@pytest.mark.parametrize("source", [
    "{{ body(article.related[0]) }}",  # not a plain name
    "{{ body(item=article) }}",
    "{% set show = body %}{{ show(article) }}",  # the helper handed on
    "{{ r.body }}", "{{ r['body'] }}", "{{ r | attr('body') }}",  # an item's Markdown itself
])
def test_any_body_may_show_when_the_text_cannot_tell_whose(source):
    assert reads(source).bodies is None


@pytest.mark.parametrize("source, everything", [
    ("{% for a in site.articles %}{% endfor %}", True),
    ("{{ site['pages'] | length }}", True),
    ("{% set s = site %}", True),  # handed whole to something else
    ("{{ helper(site) }}", True),
    ("{{ site[key] }}", True),
    ("{{ site.organisation.links }}{{ site.campaign('x') }}", False),
])
def test_the_whole_article_list_is_read_through_site(source, everything):
    assert reads(source).all_items is everything


def test_the_bound_names_are_every_kind_of_assignment():
    found = reads("{% set a = 1 %}{% for b in x %}{% endfor %}{% macro m(c) %}{% endmacro %}"
                  "{% with d = 1 %}{% endwith %}{% import 'x.html' as e %}{% from 'y.html' import f as g %}")
    assert {"a", "b", "c", "d", "e", "g"} <= found.bound


def write(folder, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_closure_shows_whose_bodies_its_templates_show(tmp_path):
    keys = TemplateKeys(write(tmp_path, {
        "article.html": "{% extends 'base.html' %}{% block main %}{% include 'toc.html' %}{{ body(article) }}"
                        "{% endblock %}",
        "base.html": "<html>{# body(everything) #}{% block main %}{% endblock %}</html>",
        "toc.html": "{{ headings(article) }}",
        "list.html": "{% extends 'base.html' %}{% block main %}{% include 'card.html' %}{% endblock %}",
        "card.html": "{{ item.title }}",
    }))
    assert template_closure(keys.env, "article.html") == {"article.html", "base.html", "toc.html"}
    assert keys.key("article.html")[1:] == ({"article"}, False)
    assert keys.key("list.html")[1:] == (frozenset(), False)


def test_a_shown_name_that_a_template_of_the_closure_assigns_may_be_any_item(tmp_path):
    keys = TemplateKeys(write(tmp_path, {
        "article.html": "{% include 'related.html' %}{{ body(article) }}",
        "related.html": "{% for article in related %}{{ article.title }}{% endfor %}",
        "feed.html": "{% for a in articles %}{{ body(a) }}{% endfor %}",
    }))
    assert keys.key("article.html")[1] is None
    assert keys.key("feed.html")[1] is None


def test_a_template_that_does_not_parse_may_show_anything(tmp_path):
    keys = TemplateKeys(write(tmp_path, {"broken.html": "{% if %}", "page.html": "{% include 'broken.html' %}"}))
    assert keys.key("page.html")[1:] == (None, True)


def test_a_name_computed_when_rendering_may_be_any_template(tmp_path):
    keys = TemplateKeys(write(tmp_path, {"a.html": "{% include name %}", "b.html": "", "c.html": ""}))
    assert template_closure(keys.env, "a.html") == {"a.html", "b.html", "c.html"}
