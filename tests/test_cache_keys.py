"""Keys that over-approximate (#27): stable descriptions, the extension allow-list, and a
read-recording mode that can fail.

- `stable_repr` names functions and classes, and describes objects by class and state:
  no memory address, equal values alike, different values apart.
- The Markdown cache stays on only for extensions known to read no files, whatever form
  names them; any other, or code of the site's own in an option, switches it off.
- `tests/read_recording.py` reports a template read the page key does not cover.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading

import pytest
from cache_edits import new_project
from read_recording import recording_reads

from tipweek.cache.describe import stable_repr, undescribable
from tipweek.cache.markdown_inputs import extension_inputs
from tipweek.cache.page_keys import covered


def _slugify(case: str) -> object:
    import pymdownx.slugs

    return pymdownx.slugs.slugify(case=case)


def test_an_object_is_described_by_its_class_and_state_not_its_address():
    lower = stable_repr({"slugify": _slugify("lower")})
    assert "0x" not in lower
    assert "pymdownx.slugs._uslugify" in lower
    assert lower == stable_repr({"slugify": _slugify("lower")})
    assert lower != stable_repr({"slugify": _slugify("upper")})
    assert undescribable(lower) is None


def test_the_description_is_the_same_in_another_process():
    script = (
        "import pymdownx.slugs\n"
        "from tipweek.cache.describe import stable_repr\n"
        "print(stable_repr({'s': pymdownx.slugs.slugify(case='lower'), 'k': {3, 1, 2}}))\n"
    )
    here = stable_repr({"s": _slugify("lower"), "k": {3, 1, 2}})
    for seed in ("1", "2"):
        there = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        assert there == here


def test_a_value_pickle_refuses_is_undescribable():
    assert undescribable(stable_repr({"lock": threading.Lock()})) == "_thread.lock"


def test_a_partial_of_a_plain_function_is_described_by_name():
    described = stable_repr(functools.partial(str.lower))
    assert "0x" not in described and "str.lower" in described


@pytest.mark.parametrize(
    "extensions",
    [
        ["toc"],
        ["markdown.extensions.toc"],
        ["markdown.extensions.toc:TocExtension"],
        ["pymdownx.superfences", "pymdownx.highlight:HighlightExtension"],
        ["abbr", "markdown.extensions.abbr:AbbrExtension"],
    ],
)
def test_extensions_known_to_read_no_files_keep_the_markdown_cache_on(extensions):
    names, reason = extension_inputs(extensions, {name: {} for name in extensions})
    assert reason is None
    assert set(names) <= {"Markdown", "pymdown-extensions"}


@pytest.mark.parametrize(
    "extension",
    [
        "pymdownx.snippets",
        "pymdownx.snippets:SnippetExtension",
        "pymdownx.b64",
        "pymdownx.b64:B64Extension",
        "mdx_unknown",
        "my_site_extension:Thing",
    ],
)
@pytest.mark.parametrize("options", [{}, {"base_path": ["."]}], ids=["bare", "options"])
def test_any_other_extension_switches_the_markdown_cache_off(extension, options):
    _names, reason = extension_inputs(["toc", extension], {extension: options})
    assert reason is not None and extension in reason


def test_an_option_naming_the_sites_own_code_switches_the_markdown_cache_off():
    def my_format(*args):  # the site's own function: its body is not versioned
        return ""

    fences = {"custom_fences": [{"name": "x", "class": "x", "format": my_format}]}
    _names, reason = extension_inputs(["pymdownx.superfences"], {"pymdownx.superfences": fences})
    assert reason is not None and "my_format" in reason
    slug = {"slugify": _slugify("lower")}
    names, reason = extension_inputs(["toc"], {"toc": slug})
    assert reason is None and "pymdown-extensions" in names


def test_custom_icons_switch_the_markdown_cache_off():
    icons = {"options": {"custom_icons": ["overrides/icons"]}}
    _names, reason = extension_inputs(["pymdownx.emoji"], {"pymdownx.emoji": icons})
    assert reason is not None and "custom icons" in reason


def test_the_coverage_table_reads_paths_as_documented():
    assert covered("nav_item.meta.icon", set())
    assert covered("config.theme.palette.primary", set())
    assert not covered("config.site_dir", set())
    assert not covered("page.file.abs_src_path", set())
    assert not covered("pages", set()) and covered("pages", {"pages"})
    assert not covered("build_date_utc", set()) and covered("build_date_utc", {"build_time"})


#: A custom_dir main.html that shows, on every page, what no key holds.
READS_UNKEYED = """\
{% extends "base.html" %}
{% block footer %}{{ super() }}
{% if page %}<p>{{ page.file.abs_src_path }} {{ config.site_dir }}</p>{% endif %}
{% endblock %}
"""


def test_the_recording_mode_reports_a_read_no_key_covers(make_site):
    project = new_project(make_site)
    project.write("overrides/main.html", READS_UNKEYED)
    with recording_reads() as reads:
        project.build()
    assert reads.pages_checked > 0
    paths = {line.split(": ", 1)[1].split(" (", 1)[0] for line in reads.uncovered}
    assert paths == {"page.file.abs_src_path", "config.site_dir"}
    # And it sees what Material reads of every navigation item.
    assert {"nav_item.meta", "nav_item.title", "nav_item.url"} <= reads.reads
