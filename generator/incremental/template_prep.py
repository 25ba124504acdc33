"""Templates keyed and compiled ahead of the pages, on the core the build leaves idle.

A build whose templates are new to the cache (a cold build, or the first after a template was
edited) must parse every template to key the pages and compile every one before forking the page
workers, on one core while the other waits. A child forked before the content is loaded does both
while the parent loads and checks the site, and leaves the keys and Jinja's bytecode in the cache
folder, where the parent finds them as a warm build does.

Nothing depends on the child but speed: a template it cannot compile is left for the parent,
which compiles it as before and reports its error with the page that uses it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2

from generator.incremental.bytecode import in_cache
from generator.incremental.fingerprint import TemplateKeys
from generator.incremental.parallel import Background
from generator.rendering.templates import TEMPLATE_EXTENSIONS, compiling_environment


def start(template_dir: Path, cache_dir: Path | None, template_digest: str, workers: int) -> Background | None:
    """The child preparing the templates, when there is something to prepare and a cache to leave it in."""
    if cache_dir is None or workers <= 1:
        return None  # one core: the parent does the same work when it gets there
    if TemplateKeys(template_dir, cache_dir, template_digest).stored:
        return None  # a build has already keyed (and compiled) exactly these templates
    return Background(lambda: prepare(template_dir, cache_dir, template_digest), workers)


def prepare(template_dir: Path, cache_dir: Path, template_digest: str) -> int:
    """Key and compile every template of the folder into the cache; returns how many compiled."""
    keys = TemplateKeys(template_dir, cache_dir, template_digest)
    env = compiling_environment(template_dir, one_build=True, bytecode_cache=in_cache(cache_dir))
    compiled = 0
    for name in env.list_templates(extensions=TEMPLATE_EXTENSIONS):
        keys.key(name)
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):
            continue  # the parent meets it again and reports it with its line
        compiled += 1
    keys.save()
    return compiled


def wait(child: Background | None) -> None:
    """Let the child finish: before the parent reads what it leaves in the cache, and after a failed
    build, so that it is not stopped halfway through a file it writes (its work serves the next
    build). Whatever became of it, the parent goes on: what the child did not leave in the cache,
    the parent compiles and keys itself, and any error a template holds is reported from there."""
    if child is not None:
        with contextlib.suppress(Exception):
            child.result()
