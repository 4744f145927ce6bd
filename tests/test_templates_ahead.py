"""Templates compiled in a forked child while the build reads its tips (templates_ahead.py).

The site must be the same byte for byte with and without (test_speedups.py compares
whole sites for every switch); these tests check that the child's work is really
used, that it is not used where it could differ (a changed template, a plugin that
changes how templates compile), and that no child outlives a build.
"""

from __future__ import annotations

import os

import jinja2
import pytest
from mkdocs.exceptions import Abort, PluginError

from tipweek.core import speedups
from tipweek.mkdocs import forking, templates_ahead
from tipweek.mkdocs.forking import PARALLEL_MIN_ENV

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")

#: Templates every tipweek page goes through: compiled by the child, never by the build.
PAGE_CHAIN = {"main.html", "base.html", "tipweek/page.html", "tipweek/tip.html"}


@pytest.fixture
def compiled_here(monkeypatch) -> list[str]:
    """The names of the templates this process compiles (a forked child's are not seen)."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def spy(self, source, name=None, *args, **kwargs):
        names.append(name)
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


@pytest.fixture
def site(make_site, monkeypatch):
    monkeypatch.setenv(PARALLEL_MIN_ENV, "1")
    monkeypatch.delenv(speedups.ENV, raising=False)
    speedups.reset()
    make_site.write("docs/about.md", "# About\n\nWho we are.\n")
    make_site.add_weekly_tips(4, tags=["focus"])
    yield make_site
    speedups.reset()


@needs_fork
def test_the_build_uses_the_templates_the_child_compiled(site, compiled_here, monkeypatch):
    site.build()
    assert not PAGE_CHAIN & set(compiled_here), compiled_here
    monkeypatch.setenv(speedups.ENV, "templates-ahead")
    speedups.reset()
    compiled_here.clear()
    site.build()
    assert set(compiled_here) >= PAGE_CHAIN


HOOK = """\
def on_env(env, config, files):
    env.add_extension("jinja2.ext.loopcontrols")
    return env
"""


@needs_fork
def test_a_plugin_that_changes_how_templates_compile_gets_them_compiled_its_way(
    site, compiled_here
):
    site.write("hooks/jinja.py", HOOK)
    site.build(extra_config={"hooks": ["hooks/jinja.py"]})
    assert set(compiled_here) >= PAGE_CHAIN


class _Sent:
    """What a child would have sent: (settings, compiled code)."""

    def __init__(self, env: jinja2.Environment, names: list[str]) -> None:
        self.result = templates_ahead.compile_settings(env), templates_ahead.compile_reachable(
            env, names
        )

    def collect(self):
        return self.result


def test_a_template_changed_after_it_was_compiled_is_compiled_again() -> None:
    sources = {"page.html": "{% include 'part.html' %}!", "part.html": "old"}
    env = jinja2.Environment(loader=jinja2.DictLoader(sources))
    sent = _Sent(env, ["page.html"])
    assert len(sent.result[1]) == 2  # the page and what it includes
    sources["part.html"] = "new"
    fresh = jinja2.Environment(loader=jinja2.DictLoader(sources))
    assert templates_ahead.install(sent, fresh) == 2
    assert fresh.get_template("page.html").render() == "new!"


def test_a_template_that_does_not_compile_is_left_to_the_build() -> None:
    sources = {"page.html": "{% include 'broken.html' %}", "broken.html": "{% if %}"}
    env = jinja2.Environment(loader=jinja2.DictLoader(sources))
    sent = _Sent(env, ["page.html", "missing.html"])
    assert len(sent.result[1]) == 1
    fresh = jinja2.Environment(loader=jinja2.DictLoader(sources))
    templates_ahead.install(sent, fresh)
    with pytest.raises(jinja2.TemplateSyntaxError):
        fresh.get_template("broken.html")


def test_other_settings_or_someone_elses_cache_get_nothing() -> None:
    sources = {"page.html": "{{ 1 }}"}
    sent = _Sent(jinja2.Environment(loader=jinja2.DictLoader(sources)), ["page.html"])
    other = jinja2.Environment(loader=jinja2.DictLoader(sources), trim_blocks=True)
    assert templates_ahead.install(sent, other) == 0
    theirs = jinja2.Environment(
        loader=jinja2.DictLoader(sources), bytecode_cache=jinja2.FileSystemBytecodeCache()
    )
    assert templates_ahead.install(sent, theirs) == 0


@needs_fork
def test_a_build_that_fails_before_its_templates_leaves_no_child(site, monkeypatch):
    pids: list[int] = []
    start = templates_ahead.start

    def spy(*args, **kwargs):
        child = start(*args, **kwargs)
        pids.append(child.pid if child else 0)
        return child

    monkeypatch.setattr(templates_ahead, "start", spy)
    site.write("tips/2025/2025-02-04-broken.md", "---\ntitle: Broken\ndate: 2025-13-45\n---\nx\n")
    with pytest.raises((Abort, PluginError)):
        site.build()
    assert len(pids) == 1 and pids[0] > 0
    with pytest.raises(ChildProcessError):  # already reaped by the build
        os.waitpid(pids[0], os.WNOHANG)
