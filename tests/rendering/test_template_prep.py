"""Templates keyed and compiled ahead of the pages by a forked child (generator/incremental/template_prep.py).

The child's environment has no site, only what compiling reads. What it leaves in the cache must be
exactly what the build's own environment would have made: the pages run that bytecode.
"""

from __future__ import annotations

import jinja2
import pytest
from conftest import REPO, TODAY, article

from generator.content.load import load_site
from generator.incremental import bytecode, fingerprint, template_prep
from generator.incremental.bodies import render_bodies
from generator.machinery import serial_map
from generator.problems import BuildFailed, Problems
from generator.rendering import templates as render
from generator.site.links import link_context

pytestmark = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                                reason="the child is forked")

TEMPLATES = REPO / "templates"


def _bytecode(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*.cache"))}


def test_the_childs_bytecode_is_what_the_builds_environment_makes(make_site, tmp_path):
    site_dir = make_site({"bai-viet/a.md": article("Bài A")})
    problems = Problems(root=site_dir.root)
    site = load_site(site_dir.content, problems, published_by=TODAY)
    bodies = render_bodies(site, link_context(site, site.config.base_url), None, problems, serial_map)
    context = render.RenderContext(site, site.config.base_url, {}, bodies, TODAY)
    env = render.make_environment(TEMPLATES, context, one_build=True,
                                  bytecode_cache=bytecode.in_cache(tmp_path / "own"))
    names = env.list_templates(extensions=render.TEMPLATE_EXTENSIONS)
    for name in names:
        env.get_template(name)

    compiled = template_prep.prepare(TEMPLATES, tmp_path / "cache", "digest")

    assert compiled == len(names) > 30, "every template compiles without the site (its filters exist)"
    own = _bytecode(bytecode.compiled_dir(tmp_path / "own"))
    ahead = _bytecode(bytecode.compiled_dir(tmp_path / "cache"))
    assert len(own) == len(names)
    assert ahead == own


def test_the_childs_keys_are_the_builds_own(tmp_path):
    template_prep.prepare(TEMPLATES, tmp_path, "digest")
    stored = fingerprint.TemplateKeys(TEMPLATES, tmp_path, "digest")
    fresh = fingerprint.TemplateKeys(TEMPLATES)
    assert stored.stored and not fresh.stored
    names = fresh.env.list_templates(extensions=render.TEMPLATE_EXTENSIONS)
    assert {name: stored.key(name) for name in names} == {name: fresh.key(name) for name in names}
    assert fingerprint.TemplateKeys(TEMPLATES, tmp_path, "other digest").stored is False


def test_a_cold_build_compiles_no_template_in_the_parent(make_site, monkeypatch):
    """The child compiled them all while the parent loaded the site; the parent loads bytecode.
    Counted in this process only: the child is a forked copy, whose calls this counter never sees."""
    calls = []
    original = jinja2.Environment.compile

    def counting(self, *args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    site = make_site({f"bai-viet/bai-{n}.md": article(f"Bài số {n}") for n in range(3)})
    site.build(workers=2)
    assert calls == [], f"compiled in the parent: {calls}"
    assert site.html("").title is not None

    site.build(workers=1, output=site.root / "serial", cache=site.root / ".cache-serial")
    assert len(calls) > 20, "with one core the parent compiles, and the counter sees it"


def test_a_build_with_the_child_publishes_the_bytes_of_a_build_without_it(make_site):
    site = make_site({f"bai-viet/bai-{n}.md": article(f"Bài số {n}", tags=["nước"]) for n in range(4)})
    site.build(workers=2, output=site.root / "two", cache=site.root / ".cache-two")
    site.build(workers=1, output=site.root / "one", cache=None)

    def tree(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.name.startswith(".")}

    one, two = tree(site.root / "one"), tree(site.root / "two")
    assert len(one) > 20 and one == two


def test_a_failed_build_lets_the_child_finish_and_the_next_build_uses_its_work(make_site, monkeypatch):
    site = make_site({"bai-viet/a.md": article("Bài A", campaign="khong-co")})  # an unknown campaign
    with pytest.raises(BuildFailed):
        site.build(workers=2)
    cache = site.root / ".cache"
    assert len(_bytecode(bytecode.compiled_dir(cache))) > 30
    assert not [p for p in cache.rglob("*") if p.is_file() and "tmp" in p.name], "a half-written file was left"
    (site.content / "bai-viet" / "a.md").write_text(article("Bài A"), encoding="utf-8")
    started = []
    monkeypatch.setattr(template_prep, "Background", lambda *a: started.append(a))
    site.build(workers=2)
    assert started == [], "the templates were prepared by the failed build: no second child"
    assert site.html("").title is not None


def test_a_child_that_fails_costs_the_build_nothing_but_time(make_site, monkeypatch):
    """Its work is only ahead of time: the parent keys and compiles what the child did not leave."""
    def failing(*args):
        raise RuntimeError("the child broke")

    monkeypatch.setattr(template_prep, "prepare", failing)
    site = make_site({"bai-viet/a.md": article("Bài A", tags=["nước"])})
    result = site.build(workers=2)
    assert result.pages > 10
    assert site.html("").title is not None
    assert len(_bytecode(bytecode.compiled_dir(site.root / ".cache"))) > 10, "the parent compiled them itself"
