"""The Jinja2 environment and the one function that turns a route into a page's text.

Templates get a small set of helpers (url, asset, absolute_url, the Vietnamese date
formatters) so no template builds a URL or formats a date by itself.
"""

from __future__ import annotations

import functools
import json
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.content import documents
from generator.content.identity import Identity
from generator.content.model import Site, SiteConfig
from generator.imageproc.plan import SIZES, ImageSet
from generator.markdown.images import intrinsic_size
from generator.markdown.render import RenderedBody
from generator.markdown.toc import table_of_contents
from generator.problems import Problem
from generator.site import routes
from generator.vietnamese import text


@dataclass(frozen=True)
class RenderContext:
    """Everything shared by all pages of one build."""

    site: Site
    base_url: str  # absolute, ending with "/"
    assets: Mapping[str, str]  # logical asset name ("css/site.css") → fingerprinted site path
    bodies: Mapping[str, RenderedBody]  # content-relative source path → rendered Markdown
    today: date
    preview: bool = False  # the preview server marks drafts and future-dated articles
    recorder: Any = None  # linkcheck.sources.TemplateRecorder: notes which template line made each URL
    images: Mapping[str, ImageSet] = field(default_factory=dict)  # content image → its responsive files

    @property
    def base_path(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"


class TemplateProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class _OneBuildEnvironment(jinja2.Environment):
    """An environment whose globals are all set before its first template loads, and never change.

    Jinja gives each template its globals as a ChainMap over the environment's, so that later
    changes show; and on every {% import %} of every page it works out which of the page's globals
    the imported template lacks, one Python-level ChainMap lookup per global (a tenth of an article
    page's rendering time). Here each template gets them as one dict, with the same values.
    """

    def make_globals(self, d: dict[str, Any] | None) -> dict[str, Any]:
        return {**self.globals, **(d or {})}


TEMPLATE_EXTENSIONS = ("html", "xml", "txt")  # what templates/ holds besides partials' folders


def compiling_environment(template_dir: Path, one_build: bool = False,
                          bytecode_cache: jinja2.BytecodeCache | None = None,
                          ctx: RenderContext | None = None) -> jinja2.Environment:
    """An environment with everything compiling a template reads: its options and its filters (a
    filter must exist, and whether it is passed the context is decided when compiling). Without
    `ctx` it can compile but not render: template_prep's child compiles with it, and the bytecode
    it leaves is what make_environment's environment would have made."""
    env = (_OneBuildEnvironment if one_build else jinja2.Environment)(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(template_dir),
        auto_reload=not one_build,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Called only while rendering, so `ctx` is read then; one table for both kinds of environment.
    env.filters.update(
        date_long=text.date_long, date_admin=text.date_admin, date_short=text.date_short, place_date=text.place_date,
        iso=lambda v: v.isoformat(), tojson_ld=_json_ld,
        campaign_name=lambda cid: ctx.site.campaign(cid).name_vi,
        department_name=lambda did: ctx.site.department(did).name,
    )
    return env


def make_environment(template_dir: Path, ctx: RenderContext, one_build: bool = False,
                     bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """one_build: the environment serves one build, whose templates and images cannot change under
    it, so nothing is checked again (a template file's time before every include of every page,
    an image's size on every card): both are measurable parts of a build. The preview server's
    environment lives across edits and checks.

    bytecode_cache: where compiled templates are kept between builds (the caller's, keyed so that
    it holds what this environment compiles), so a one-edit rebuild does not compile the templates
    its pages need; None: each is compiled when first loaded.
    """
    env = compiling_environment(template_dir, one_build, bytecode_cache, ctx)
    base_path = ctx.base_path

    def url(item: Any = "") -> str:
        """Site-relative href honouring the base path; accepts a model item or a site path."""
        path = item if isinstance(item, str) else routes.url_of(item)
        return path if path.startswith(("http://", "https://", "mailto:")) else base_path + path

    def absolute_url(item: Any = "") -> str:
        path = item if isinstance(item, str) else routes.url_of(item)
        return ctx.base_url + path

    def asset(name: str) -> str:
        return base_path + ctx.assets[name]

    def absolute_asset(name: str) -> str:
        return ctx.base_url + ctx.assets[name]

    def body(item: Any) -> Markup:
        return Markup(ctx.bodies[item.source.path.as_posix()].html)  # already sanitised Markdown output

    def image_size(path: str) -> tuple[int, int]:
        """A content image's (width, height) for its <img>; 1200×630 (the sharing ratio) if unknown."""
        return intrinsic_size(ctx.site.content_dir / path) or (1200, 630)

    if one_build:  # a cover shows on many cards
        image_size = functools.cache(image_size)

    def image_set(path: str) -> ImageSet | None:
        """A content image's responsive files (imageproc/); None for an SVG or an unprocessed image."""
        return ctx.images.get(path)

    def share_image(path: str) -> tuple[str, int, int]:
        """What sharing previews show (og:image): the 1200-px JPEG imageproc/ made, else the file itself."""
        image = ctx.images.get(path)
        if image is not None and image.share is not None:
            return image.share.path, image.share.width, image.share.height
        return (path, *image_size(path))

    def headings(item: Any) -> tuple:
        return ctx.bodies[item.source.path.as_posix()].headings

    identity = ctx.site.identity or Identity()

    def publisher_on(day: Any):
        """The publisher's name on a page's date (None when the site keeps no dated identity)."""
        return identity.publisher_on(day.date() if hasattr(day, "date") else day)

    def partner_on(partner_id: str, day: Any):
        agency = identity.partner(partner_id)
        return agency.on(day.date() if hasattr(day, "date") else day) if agency else None

    menu = current_config(ctx.site, ctx.today).menu

    def menu_state(page_url: str) -> str:
        """Which menu entries a page is under ("0100": the second), marked aria-current in the header."""
        return "".join("1" if page_url == m.href or (m.href and page_url.startswith(m.href)) else "0" for m in menu)

    if ctx.recorder is not None:
        ctx.recorder.read_templates(env, template_dir)
        url, absolute_url, asset, absolute_asset = map(ctx.recorder.url_helper, (url, absolute_url, asset,
                                                                                 absolute_asset))
        body = ctx.recorder.body_helper(body)

    env.globals.update(
        site=ctx.site, config=current_config(ctx.site, ctx.today), publisher_on=publisher_on, partner_on=partner_on,
        current_publisher=identity.publisher_on(ctx.today), identity=identity,
        implemented_by=lambda d: documents.implemented_by(d, ctx.site.documents),
        find_document=lambda number: documents.find(number, ctx.site.documents),
        url=url, absolute_url=absolute_url, asset=asset, absolute_asset=absolute_asset, body=body,
        headings=headings, image_size=image_size, image_set=image_set, share_image=share_image,
        picture_sizes=SIZES, menu_state=menu_state, fragment=_fragment,
        today=ctx.today,
        preview=ctx.preview,
        routes=routes, table_of_contents=table_of_contents,
        find_campaign=ctx.site.campaign, find_department=ctx.site.department,
        is_future=lambda a: a.published.date() > ctx.today,
    )
    return env


def _fragment(kind: str, macro: Any, *items: Any) -> Markup:
    """`fragment("card", cards.card, item, level)`: how templates once called their header, footer and
    card macros. A site's own copy of the templates (made by `awareness init`) may still say so;
    it is the macro's output, as `cards.card(item, level)` gives it."""
    return macro(*items)


def current_config(site: Site, today: date) -> SiteConfig:
    """site.yaml with the publisher's names as they are today: the header and footer show the current
    identity, whatever the date of the page they are on."""
    period = site.identity.publisher_on(today) if site.identity else None
    if period is None:
        return site.config
    return replace(site.config, name=period.name, short_name=period.short_name or site.config.short_name,
                   parent=period.parent or site.config.parent)


def _json_ld(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json">: '<', '>' and '&' escaped so text cannot close the tag."""
    dumped = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_route(env: jinja2.Environment, route: routes.Route) -> str:
    try:
        return env.get_template(route.template).render(dict(route.context), route=route)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(Problem(f"templates/{error.name or route.template}", error.lineno,
                                      f"lỗi cú pháp mẫu trang: {error.message}",
                                      "mỗi {% if %}, {% for %}, {% block %} cần thẻ đóng {% end… %}; "
                                      "kiểm tra dấu ngoặc {{ }} và {% %} ở dòng này")) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateProblem(Problem(f"templates/{route.template}", None,
                                      f"không tìm thấy mẫu trang {error.name}")) from None
    except Exception as error:  # UndefinedError and any error raised while rendering
        file, line = _template_frame(error)
        raise TemplateProblem(Problem(file or f"templates/{route.template}", line,
                                      f"lỗi khi dựng trang /{route.url}: {error}",
                                      "kiểm tra tên biến trong mẫu trang")) from None


def _template_frame(error: BaseException) -> tuple[str | None, int | None]:
    """Jinja rewrites tracebacks so template lines appear as frames; take the innermost one."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            name = Path(frame.filename)
            return f"templates/{name.name}" if name.parent.name == "templates" else \
                f"templates/{name.parent.name}/{name.name}", frame.lineno
    return None, None

