"""The build's template context calls plain functions without Jinja's inspection (render.py,
_QuickCallContext): every kind of callable a template may call must give what Jinja's own
context gives."""

from __future__ import annotations

import jinja2
import pytest

from generator.rendering.templates import _QuickCallContext

TEMPLATE = """\
{%- macro card(title) -%}[{{ title }}|{{ caller() if caller else '' }}]{%- endmacro -%}
plain={{ join_all('a', 'b', sep='-') }}
{% for x in items %}{% set y = x ~ '!' %}loop={{ join_all(x, loop.index|string) }};ctx={{ sees('y') }};{% endfor %}

{% set outer = 'o' %}
set={{ sees('outer') }}
{% block part %}{% set inner = 'i' %}block={{ sees('inner') }}{{ join_all('+', inner) }}{% endblock %}

env={{ env_name() }}
macro={{ card('t') }}{% call card('c') %}inside{% endcall %}
class={{ shout('hi') }}
method={{ mapping.items()|list|length }}
stopped=[{{ stops() }}]
lambda={{ twice(21) }}
"""

EXPECTED = """\
plain=a-b
loop=a1;ctx=a!;loop=b2;ctx=b!;
set=o
block=i+i
env=Environment
macro=[t|][c|inside]class=HI!
method=2
stopped=[]
lambda=42"""


class Shout:
    def __call__(self, text: str) -> str:
        return text.upper() + "!"


def join_all(*parts: str, sep: str = "") -> str:
    return sep.join(parts)


@jinja2.pass_context
def sees(context, name: str) -> str:
    return str(context.get(name, "missing"))


@jinja2.pass_environment
def env_name(environment) -> str:
    return type(environment).__name__


def stops() -> str:
    raise StopIteration


def render(context_class: type | None) -> str:
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    if context_class is not None:
        env.context_class = context_class
    env.globals.update(join_all=join_all, sees=sees, env_name=env_name, shout=Shout(), stops=stops,
                       twice=lambda n: n * 2)
    return env.from_string(TEMPLATE).render(items=["a", "b"], mapping={"k": 1, "l": 2})


@pytest.mark.parametrize("context_class", [None, _QuickCallContext], ids=["jinja", "quick"])
def test_every_kind_of_callable_gives_what_jinja_gives(context_class):
    assert render(context_class) == EXPECTED


def test_a_function_raising_stop_iteration_is_undefined_not_an_error():
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.context_class = _QuickCallContext
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        env.from_string("{{ stops() }}").render(stops=stops)
