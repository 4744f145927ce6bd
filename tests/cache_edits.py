"""Edits of a small tipweek project, and builds that compare a warm site with a cold one.

`tests/test_cache_differential.py` applies each edit of `EDITS` once (a table)
and in seeded random sequences; `tests/test_cache_safety.py` uses the builds.
Each edit mutates a `Project` (its files, its mkdocs.yml settings, or, for
tipweek's code and Pygments, the running process) so that the site's output
changes; each call of the same edit makes a new change (`Project.next`).

Builds run in-process as `mkdocs build` and `mkdocs serve` would run them:

- `build`: a fresh plugin instance per build, as each `mkdocs build` is a new
  process.  (MkDocs keeps plugins that have `on_startup` in a cache that lives
  as long as the process; `fresh_plugins` swaps that cache.)
- `serve`: one plugin instance across every warm rebuild, the config loaded
  again each time, `site_url` the server's, `serve_url` passed to `build` —
  what `mkdocs.commands.serve` does.

A cold build moves `.cache/` aside, builds into another `site_dir` with a fresh
plugin instance, then puts the warm `.cache/` back, so a sequence of warm
builds goes on from its own cache, never from the cold build's.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import material.extensions.emoji as material_emoji
import pytest
import yaml
from conftest import (
    DEFAULT_EPOCH,
    SiteFactory,
    add_five_tagged_tips,
    logged_counts,
    site_tree,
    tip_text,
)
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options, load_config
from mkdocs.config.defaults import MkDocsConfig

from tipweek.cache import inputs
from tipweek.core import tip_text as tip_text_module

#: Where `mkdocs serve` would serve the site (its `site_url` replaces the configured one).
SERVE_URL = "http://127.0.0.1:8000/"
#: MkDocs' `plugins` option, whose `plugin_cache` keeps plugin instances for the process.
PLUGINS_OPTION = dict(MkDocsConfig._schema)["plugins"]
#: 2026-01-10: after the scheduled tip of 2026-01-06 (DEFAULT_EPOCH is before it).
LATER_EPOCH = "1768003200"


class PythonName(str):
    """A `!!python/name:` value in mkdocs.yml (pymdownx.emoji's index and generator)."""


class SlugifyObject(dict):
    """`!!python/object/apply:pymdownx.slugs.slugify {kwds: …}` in mkdocs.yml, as
    Material's documentation configures `toc`."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    SlugifyObject,
    lambda dumper, value: dumper.represent_mapping(
        "tag:yaml.org,2002:python/object/apply:pymdownx.slugs.slugify", dict(value)
    ),
)


_Dumper.add_representer(
    PythonName,
    lambda dumper, value: dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value}", ""),
)


@contextmanager
def fresh_plugins(cache: dict[str, Any]) -> Iterator[None]:
    """Load plugins from (and into) `cache` instead of MkDocs' process-wide one."""
    saved = PLUGINS_OPTION.plugin_cache
    PLUGINS_OPTION.plugin_cache = cache
    try:
        yield
    finally:
        PLUGINS_OPTION.plugin_cache = saved


@dataclass
class Project:
    """A project folder and its mkdocs.yml settings, built warm and cold."""

    factory: SiteFactory
    options: dict[str, Any]
    config: dict[str, Any]
    epoch: str = DEFAULT_EPOCH
    n: int = 0
    # One plugin cache per command for warm builds (`serve` reuses its instance).
    serve_plugins: dict[str, Any] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @property
    def root(self) -> Path:
        return self.factory.root

    @property
    def monkeypatch(self) -> pytest.MonkeyPatch:
        return self.factory.monkeypatch

    def next(self) -> int:
        self.n += 1
        return self.n

    def write(self, relative: str, text: str) -> Path:
        return self.factory.write(relative, text)

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def tip(self, relative: str) -> tuple[dict[str, Any], str]:
        """A tip's front matter and body."""
        _, front, body = self.read(relative).split("---\n", 2)
        return yaml.safe_load(front), body

    def set_tip(self, relative: str, body: str | None = None, **front: Any) -> None:
        """Change a tip's front-matter keys (None removes one) and, if given, its body."""
        meta, old_body = self.tip(relative)
        for key, value in front.items():
            if value is None:
                meta.pop(key, None)
            else:
                meta[key] = value
        text = tip_text(meta.pop("title"), meta.pop("date"), "", **meta)
        self.write(relative, text.removesuffix("\n") + (old_body if body is None else body))

    def mkdocs_yml(self, site_dir: str) -> str:
        config = {
            "site_name": "Tip Site",
            "site_url": "https://example.org/tips/",
            "site_dir": site_dir,
            "theme": {"name": "material", "custom_dir": "overrides"},
            "plugins": ["search", {"tipweek": self.options}],
            **self.config,
        }
        if "search_options" in config:
            config["plugins"] = [{"search": config.pop("search_options")}, *config["plugins"][1:]]
        if "extra_plugins" in config:
            config["plugins"] = config["plugins"] + config.pop("extra_plugins")
        return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)

    def build(self, command: str = "build", site_dir: str = "site") -> list[str]:
        """Build as `mkdocs <command>` would (warm: from this project's caches); the log."""
        plugins: dict[str, Any] = self.serve_plugins if command == "serve" else {}
        return self._build(command, site_dir, plugins)

    def _build(self, command: str, site_dir: str, plugins: dict[str, Any]) -> list[str]:
        config_file = self.root / "mkdocs.yml"
        config_file.write_text(self.mkdocs_yml(site_dir), encoding="utf-8")
        self.monkeypatch.setenv("SOURCE_DATE_EPOCH", self.epoch)
        # MkDocs keeps hook modules, and Material custom icons' files, in process-wide
        # caches (even `mkdocs serve` never re-reads an edited hook or SVG): start each
        # build as a new process would.
        config_options.Hooks._load_hook.cache_clear()
        material_emoji._load.cache_clear()
        material_emoji._load_twemoji_index.cache_clear()
        caplog = self.factory.caplog
        caplog.clear()
        with caplog.at_level(logging.INFO), fresh_plugins(plugins):
            cfg = load_config(str(config_file), strict=True)
            serve_url = None
            if command == "serve":
                cfg.site_url = serve_url = SERVE_URL
            # `mkdocs serve` calls on_startup once, then rebuilds with the same plugins.
            if command != "serve" or not plugins.get("_started"):
                cfg.plugins.on_startup(command=command, dirty=False)
                plugins["_started"] = True
            mkdocs_build(cfg, serve_url=serve_url)
        return [record.getMessage() for record in caplog.records]

    def tree(self, site_dir: str = "site") -> dict[str, bytes]:
        return site_tree(self.root / site_dir)

    def cold_tree(self, command: str = "build") -> dict[str, bytes]:
        """The site built without any cache, by a fresh plugin, into `site-cold/`."""
        cache, aside = self.root / ".cache", self.root / ".cache-warm"
        if cache.exists():
            cache.rename(aside)
        try:
            shutil.rmtree(self.root / "site-cold", ignore_errors=True)
            self._build(command, "site-cold", {})
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            if aside.exists():
                aside.rename(cache)
        return self.tree("site-cold")


TIP = {n: f"tips/2025/2025-0{n}-07-tip-{n}.md" for n in range(1, 6)}
TIP6 = "tips/2025/2025-06-03-tip-6.md"
TIP6_BODY = """\
Tip 6 links the [about page](../../../../about.md).

!!! note "Remember"
    Be kind.

```python
def greet(customer):
    return f"Hello, {customer}!"
```
"""
#: The custom_dir's main.html: every page shows what a hook adds and how many pages
#: the site has (`pages`), so both reach every tipweek page.
MAIN_HTML = """\
{% extends "base.html" %}
{% block footer %}{{ super() }}
<p class="site-note">Hook: {{ hook_note | default("none") }}. Pages: {{ pages | length }}.</p>
{% endblock %}
"""


def new_project(factory: SiteFactory) -> Project:
    """Six published tips (two tags, one author, a link, an admonition, a code block),
    one scheduled for 2026-01-06, two docs pages, authors, tags and a custom_dir."""
    add_five_tagged_tips(factory)
    factory.write("docs/extra.md", "# Extra\n\nMore about us.\n")
    factory.write(TIP6, tip_text("Tip 6", "2025-06-03", TIP6_BODY, tags=["focus"], author="casey"))
    factory.add_tip("Scheduled", "2026-01-06", "Not out yet.", tags=["habits"])
    factory.write(
        "tips/authors.yml",
        "casey:\n  name: Casey Morgan\n  bio: Trains service teams.\n"
        "jordan:\n  name: Jordan Lee\n  bio: Leads a support desk.\n",
    )
    factory.write(
        "tips/tags.yml",
        "focus:\n  title: Focus\n  description: Doing one thing well.\n"
        "habits:\n  title: Habits\n  description: Small things, every day.\n",
    )
    factory.write("overrides/main.html", MAIN_HTML)
    config = {
        "markdown_extensions": [
            {"toc": {"permalink": True}},
            "admonition",
            "attr_list",
            "pymdownx.highlight",
            "pymdownx.superfences",
        ]
    }
    return Project(factory, {"per_page": 2}, config)


# --- the edits ---------------------------------------------------------------------------

Action = Callable[[Project], None]


@dataclass(frozen=True)
class Edit:
    """One kind of change.  `setup` runs before the warm-up build (a precondition,
    such as a configured extension); `apply` is the edit.  `steps_aside` names the
    cache ("Markdown" or "page") that must step aside with one INFO line after it."""

    name: str
    apply: Action
    setup: Action | None = None
    steps_aside: str | None = None
    command: str = "build"


def _toggle(p: Project, mapping: dict[str, Any], key: str, on: Any) -> None:
    if key in mapping:
        del mapping[key]
    else:
        mapping[key] = on


def _cycle(p: Project, values: list[Any]) -> Any:
    return values[(p.next() - 1) % len(values)]


def _extensions(p: Project) -> list[Any]:
    return p.config["markdown_extensions"]


def _extension(p: Project, name: str, options: dict[str, Any] | None = None) -> None:
    """Configure extension `name` (merging `options` into its options)."""
    extensions = _extensions(p)
    for index, item in enumerate(extensions):
        if item == name or (isinstance(item, dict) and name in item):
            current = item[name] if isinstance(item, dict) else {}
            extensions[index] = {name: {**(current or {}), **(options or {})}}
            return
    extensions.append({name: options} if options else name)


def _drop_extension(p: Project, name: str) -> None:
    p.config["markdown_extensions"] = [
        item
        for item in _extensions(p)
        if item != name and not (isinstance(item, dict) and name in item)
    ]


def _append_body(p: Project, relative: str, line: str) -> None:
    _, body = p.tip(relative)
    if line not in body:
        p.set_tip(relative, body.rstrip("\n") + "\n\n" + line + "\n")


def edit_body(p: Project) -> None:
    _append_body(p, TIP[3], f"Edit number {p.next()} of the body.")


def edit_title(p: Project) -> None:
    p.set_tip(TIP[2], title=f"Tip 2, take {p.next()}")


def edit_date(p: Project) -> None:
    p.set_tip(TIP[4], date=_cycle(p, ["2025-04-08", "2025-04-15", "2025-04-07"]))


def edit_tags(p: Project) -> None:
    p.set_tip(TIP[1], tags=_cycle(p, [["focus", "calm"], ["habits"], ["Focus", "speed", "habits"]]))


def edit_summary(p: Project) -> None:
    p.set_tip(TIP[4], summary=f"Summary number {p.next()}.")


def edit_slug(p: Project) -> None:
    p.set_tip(TIP[2], slug=f"second-tip-{p.next()}")


def edit_draft(p: Project) -> None:
    p.set_tip(TIP[3], draft=None if "draft" in p.tip(TIP[3])[0] else True)


def edit_aliases(p: Project) -> None:
    p.set_tip(TIP[1], aliases=[f"/old/{p.next()}/"])


def edit_author(p: Project) -> None:
    p.set_tip(TIP[2], author="jordan" if p.tip(TIP[2])[0].get("author") == "casey" else "casey")


def edit_authors_yml(p: Project) -> None:
    p.write(
        "tips/authors.yml",
        f"casey:\n  name: Casey Morgan\n  bio: Trains service teams, edition {p.next()}.\n"
        "jordan:\n  name: Jordan Lee\n  bio: Leads a support desk.\n",
    )


def edit_tags_yml(p: Project) -> None:
    p.write(
        "tips/tags.yml",
        f"focus:\n  title: Focus {p.next()}\n  description: One thing, done well.\n"
        "habits:\n  title: Habits\n  description: Small things, every day.\n",
    )


def add_tip(p: Project) -> None:
    n = p.next()
    day = date(2025, 7, 1) + timedelta(weeks=n)
    p.factory.add_tip(f"Added {n}", day, f"Added tip {n}.", tags=["habits", "new"])


def remove_tip(p: Project) -> None:
    path = p.root / TIP[5]
    if path.exists():
        path.unlink()
    else:
        p.factory.add_tip("Tip 5", "2025-05-07", "Tip 5 says hello.\n", tags=["focus"])


def option(name: str, values: list[Any]) -> Action:
    def apply(p: Project) -> None:
        p.options[name] = _cycle(p, values)

    apply.__name__ = f"option_{name}"
    return apply


def setting(name: str, values: list[Any]) -> Action:
    def apply(p: Project) -> None:
        p.config[name] = _cycle(p, values)

    return apply


def theme(name: str, values: list[Any]) -> Action:
    def apply(p: Project) -> None:
        p.config.setdefault("theme", {"name": "material", "custom_dir": "overrides"})
        p.config["theme"][name] = _cycle(p, values)

    return apply


def edit_nav(p: Project) -> None:
    _toggle(p, p.config, "nav", [{"Latest tips": "index.md"}, {"About": "about.md"}])


def add_docs_page(p: Project) -> None:
    n = p.next()
    p.write(f"docs/page-{n}.md", f"# Page {n}\n\nA new page.\n")


def remove_docs_page(p: Project) -> None:
    path = p.root / "docs/extra.md"
    if path.exists():
        path.unlink()
    else:
        p.write("docs/extra.md", "# Extra\n\nMore about us.\n")


def edit_docs_page(p: Project) -> None:
    p.write("docs/about.md", f"# About\n\nWho we are, edition {p.next()}.\n")


def edit_docs_title(p: Project) -> None:
    """A docs page's own title (its heading), which the navigation of every page shows."""
    text = p.read("docs/extra.md") if (p.root / "docs/extra.md").exists() else "# Extra\n\nMore.\n"
    p.write("docs/extra.md", f"# Extra, part {p.next()}\n" + text.split("\n", 1)[1])


def toggle_extra_css(p: Project) -> None:
    p.write("docs/assets/site.css", "footer { color: #222; }\n")
    _toggle(p, p.config, "extra_css", ["assets/site.css"])


def cross_schedule(p: Project) -> None:
    p.epoch = LATER_EPOCH if p.epoch == DEFAULT_EPOCH else DEFAULT_EPOCH


def toggle_admonition(p: Project) -> None:
    if "admonition" in _extensions(p):
        _drop_extension(p, "admonition")
    else:
        _extensions(p).append("admonition")


def edit_toc_options(p: Project) -> None:
    _extension(p, "toc", {"permalink": _cycle(p, ["#", "¶", True]), "toc_depth": 3})


def toggle_directory_urls(p: Project) -> None:
    p.config["use_directory_urls"] = not p.config.get("use_directory_urls", True)


def toggle_second_plugin(p: Project) -> None:
    # Material's offline plugin changes every page it touches, on every supported Material.
    _toggle(p, p.config, "extra_plugins", ["material/offline"])


# Files Markdown extensions read.


def setup_snippet(p: Project) -> None:
    _extension(p, "pymdownx.snippets")
    p.write("includes/note.md", "A note from the snippet file.\n")
    _append_body(p, TIP[3], '--8<-- "includes/note.md"')


def edit_snippet(p: Project) -> None:
    setup_snippet(p)
    p.write("includes/note.md", f"The snippet file, edition {p.next()}.\n")


def setup_glossary(p: Project) -> None:
    _extension(p, "abbr")
    _extension(p, "pymdownx.snippets", {"auto_append": ["includes/abbreviations.md"]})
    p.write("includes/abbreviations.md", "*[CSAT]: Customer satisfaction score\n")
    _append_body(p, TIP[1], "Measure CSAT every week.")


def edit_glossary(p: Project) -> None:
    setup_glossary(p)
    p.write("includes/abbreviations.md", f"*[CSAT]: Customer satisfaction, take {p.next()}\n")


def remove_snippets(p: Project) -> None:
    _drop_extension(p, "pymdownx.snippets")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="{}"/></svg>\n'


def setup_icons(p: Project) -> None:
    options = {
        "emoji_index": PythonName("material.extensions.emoji.twemoji"),
        "emoji_generator": PythonName("material.extensions.emoji.to_svg"),
        "options": {"custom_icons": ["icons"]},
    }
    _extension(p, "pymdownx.emoji", options)
    if not (p.root / "icons/tipweek/mark.svg").exists():
        p.write("icons/tipweek/mark.svg", SVG.format("M0 0h24v24H0z"))
    _append_body(p, TIP[2], "Marked :tipweek-mark: for review.")


def edit_icon(p: Project) -> None:
    setup_icons(p)
    n = p.next()
    p.write("icons/tipweek/mark.svg", SVG.format(f"M{n} {n}h12v12H{n}z"))


def remove_icons(p: Project) -> None:
    _drop_extension(p, "pymdownx.emoji")


# Hooks, templates, the theme.

HOOK = """\
def on_page_context(context, page, config, nav):
    context["hook_note"] = "{}"
    return context
"""


def setup_hook(p: Project) -> None:
    # Python's bytecode cache trusts a source's mtime and size; an edit within the
    # same second at the same size would run the old hook (a Python matter).
    p.monkeypatch.setattr(sys, "dont_write_bytecode", True)
    p.config["hooks"] = ["hooks/note.py"]
    if not (p.root / "hooks/note.py").exists():
        p.write("hooks/note.py", HOOK.format("first"))


def edit_hook(p: Project) -> None:
    setup_hook(p)
    p.write("hooks/note.py", HOOK.format(f"edition {p.next()}"))


def remove_hook(p: Project) -> None:
    p.config.pop("hooks", None)


def setup_nav(p: Project) -> None:
    p.config["nav"] = [{"Latest tips": "index.md"}, {"About": "about.md"}]


def add_page_not_in_nav(p: Project) -> None:
    setup_nav(p)
    add_docs_page(p)


def edit_custom_dir_same_stat(p: Project) -> None:
    """As `rsync -a`, `cp -p` or `tar x` leave a file: new bytes, same size and mtime."""
    path = p.root / "overrides/main.html"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    swapped = (
        text.replace("Pages:", "Count:") if "Pages:" in text else text.replace("Count:", "Pages:")
    )
    path.write_text(swapped, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def change_tipweek_code(p: Project) -> None:
    """tipweek's excerpt code changes without a version bump: its code digest changes
    (every module that imported `code_digest` sees the new one), and so does its output."""
    n = p.next()
    current = inputs.code_digest
    changed = lambda: f"changed code {n}"  # noqa: E731
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("tipweek") and (
            getattr(module, "code_digest", None) is current
        ):
            p.monkeypatch.setattr(module, "code_digest", changed)
    excerpt = tip_text_module.make_excerpt
    p.monkeypatch.setattr(
        tip_text_module, "make_excerpt", lambda *args: f"{excerpt(*args)} (excerpt code {n})"
    )


def upgrade_pygments(p: Project) -> None:
    """A new Pygments: its version changes, and so does its highlighting."""
    import pymdownx.highlight

    n = p.next()
    version = inputs.distribution_version
    p.monkeypatch.setattr(
        inputs,
        "distribution_version",
        lambda name: f"99.{n}" if name == "Pygments" else version(name),
    )
    highlight = pymdownx.highlight.highlight
    p.monkeypatch.setattr(
        pymdownx.highlight,
        "highlight",
        lambda *args, **kwargs: highlight(*args, **kwargs) + f"<!-- pygments 99.{n} -->",
    )


EDITS: tuple[Edit, ...] = (
    # Tips and their side files.
    Edit("tip body", edit_body),
    Edit("tip title", edit_title),
    Edit("tip date", edit_date),
    Edit("tip tags", edit_tags),
    Edit("tip summary", edit_summary),
    Edit("tip slug", edit_slug),
    Edit("tip draft", edit_draft),
    Edit("tip aliases", edit_aliases),
    Edit("tip author", edit_author),
    Edit("authors.yml", edit_authors_yml),
    Edit("tags.yml", edit_tags_yml),
    Edit("tip added", add_tip),
    Edit("tip removed", remove_tip),
    # tipweek's options.
    Edit("per_page", option("per_page", [3, 1, 2])),
    Edit("date_format", option("date_format", ["%Y-%m-%d", "%d %b %Y", "%-m/%-d/%y"])),
    Edit("excerpt_words", option("excerpt_words", [3, 10, 55])),
    Edit("read_more", option("read_more", ["Continue", "More…", "Read more"])),
    Edit("urls", option("urls", [{"page": "p/{n}/", "tags": "topics/"}, {}])),
    Edit("pager", option("pager", [{"edge": 0, "around": 0}, {"edge": 1, "around": 1}, {}])),
    Edit("feed_items", option("feed_items", [2, 3, 20])),
    Edit("call_to_action", option("call_to_action", [[{"title": "Write to us", "url": "about/"}]])),
    Edit("preview_drafts", option("preview_drafts", [False, True]), command="serve"),
    Edit("feed_description", option("feed_description", ["Weekly advice.", "Tips, weekly."])),
    Edit("timezone", option("timezone", ["Pacific/Kiritimati", "UTC"])),
    # mkdocs.yml.
    Edit("site_name", setting("site_name", ["Service Tips", "Tip Site"])),
    Edit(
        "site_url", setting("site_url", ["https://tips.example.com/", "https://example.org/tips/"])
    ),
    Edit("copyright", setting("copyright", ["© Tip Site", "© Somebody else"])),
    Edit(
        "extra",
        setting(
            "extra",
            [
                {"generator": False},
                {"social": [{"icon": "fontawesome/brands/github", "link": "https://example.org/"}]},
            ],
        ),
    ),
    Edit(
        "theme palette",
        theme("palette", [{"scheme": "slate", "primary": "teal"}, {"primary": "red"}]),
    ),
    Edit("theme features", theme("features", [["navigation.tabs", "content.code.copy"], []])),
    Edit("theme language", theme("language", ["de", "en"])),
    Edit("nav", edit_nav),
    Edit("docs page added", add_docs_page),
    Edit("docs page removed", remove_docs_page),
    Edit("docs page edited", edit_docs_page),
    Edit("docs page title", edit_docs_title),
    Edit("extra_css", toggle_extra_css),
    Edit(
        "search plugin options",
        setting("search_options", [{"lang": "de", "separator": "[\\s\\-]+"}, {}]),
    ),
    Edit("SOURCE_DATE_EPOCH crosses a scheduled tip", cross_schedule),
    Edit("markdown extension added or removed", toggle_admonition),
    Edit("markdown extension options", edit_toc_options),
    Edit("use_directory_urls", toggle_directory_urls),
    Edit("a second plugin", toggle_second_plugin, steps_aside="page"),
    # Inputs that are not in mkdocs.yml or the tips.
    Edit("snippet file edited", edit_snippet, setup=setup_snippet, steps_aside="Markdown"),
    Edit("abbr glossary edited", edit_glossary, setup=setup_glossary, steps_aside="Markdown"),
    Edit("custom icon edited", edit_icon, setup=setup_icons, steps_aside="Markdown"),
    Edit("hook edited", edit_hook, setup=setup_hook, steps_aside="page"),
    Edit("docs page not in nav added", add_page_not_in_nav, setup=setup_nav),
    Edit("custom_dir file, same size and mtime", edit_custom_dir_same_stat),
    Edit("tipweek's code", change_tipweek_code),
    Edit("Pygments upgrade", upgrade_pygments),
)

#: Edits that turn a stepping-aside feature off again, for the random sequences.
UNDOS: tuple[Edit, ...] = (
    Edit("snippets removed", remove_snippets),
    Edit("custom icons removed", remove_icons),
    Edit("hook removed", remove_hook),
)


#: Files opened while a `record_opens` block runs: (path, how), how being "read",
#: "write" or "sqlite".  An audit hook cannot be removed, so one serves the process.
_opened: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _opened is None or event not in ("open", "sqlite3.connect") or not args:
        return
    if not isinstance(args[0], (str, bytes, os.PathLike)):
        return  # a file descriptor
    if event == "sqlite3.connect":
        how = "sqlite"
    else:
        mode, flags = (args[1], args[2]) if len(args) > 2 else (args[1:2] or ("r",), 0)
        writes = any(c in str(mode) for c in "wax+") if mode else flags & (os.O_WRONLY | os.O_RDWR)
        how = "write" if writes else "read"
    _opened.append((os.fsdecode(args[0]), how))


sys.addaudithook(_audit)


@contextmanager
def record_opens() -> Iterator[list[tuple[str, str]]]:
    """Every file opened in this process inside the block, by path (as given) and how."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


PAGE_COUNTS = re.compile(r"(\d+) pages? rendered, (\d+) from the page cache")
TIP_COUNTS = re.compile(r"(\d+) tips? converted, (\d+) from the Markdown cache")


def assert_nothing_rendered(log: list[str], steps_aside: str | None = None) -> None:
    """An unchanged rebuild's log: no page and no tip rendered again, by every cache that
    is on (a key that never hits fails here, as a key that hits wrongly fails the
    comparison with a cold build)."""
    if steps_aside != "page":
        rendered, cached = logged_counts(PAGE_COUNTS, log)
        assert rendered == 0 < cached, log
    if steps_aside != "Markdown":
        rendered, cached = logged_counts(TIP_COUNTS, log)
        assert rendered == 0 < cached, log


def off_lines(messages: list[str], cache: str) -> list[str]:
    """The log lines saying the `cache` ("Markdown" or "page") cache stepped aside."""
    return [m for m in messages if f"the {cache} cache is off for this build" in m]
