"""Reading the tipweek options from mkdocs.yml without MkDocs, as the CLI does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from tipweek.core.docs_pages import docs_page_urls
from tipweek.core.options import DEFAULTS, URL_DEFAULTS
from tipweek.core.settings import Settings, load_settings
from tipweek.core.tips import TipError
from tipweek.core.urls import UrlScheme
from tipweek.mkdocs.config import TipweekConfig

REPO = Path(__file__).resolve().parent.parent


def mkdocs_page_urls(config: MkDocsConfig) -> set[str]:
    """The oracle: the URL MkDocs itself gives each Markdown page of docs/."""
    docs = Path(config.docs_dir)
    return {
        File(
            path.relative_to(docs).as_posix(), str(docs), config.site_dir, config.use_directory_urls
        ).url
        for path in docs.rglob("*.md")
    }


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_plugins_defaults():
    config = TipweekConfig()
    config.load_dict({})
    errors, warnings = config.validate()
    assert (errors, warnings) == ([], [])
    assert dict(config) == DEFAULTS
    assert dict(config.urls) == URL_DEFAULTS
    assert config.pager.edge == DEFAULTS["pager"]["edge"]
    settings = Settings(root=Path("."))
    assert dict(settings.options) == DEFAULTS
    assert (settings.tips_dir, settings.per_page, settings.urls) == ("tips", 10, URL_DEFAULTS)
    assert UrlScheme() == UrlScheme(**URL_DEFAULTS)


def test_real_world_tags_are_tolerated_and_env_is_resolved(tmp_path, monkeypatch):
    monkeypatch.setenv("TIPS_FOLDER", "posts")
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)
    config = write(
        tmp_path / "mkdocs.yml",
        "site_name: !ENV [NO_SUCH_VARIABLE, 'My tips']\n"
        "docs_dir: !relative pages\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format ''\n"
        "plugins:\n"
        "  - search\n"
        "  - tipweek:\n"
        "      tips_dir: !ENV TIPS_FOLDER\n"
        "      strict_tags: !ENV [NO_SUCH_VARIABLE, true]\n"
        "      publish_weekday: thursday\n"
        "      urls: {tip: 'posts/{slug}/'}\n",
    )
    settings = load_settings(config)
    assert settings.root == tmp_path.resolve()
    assert (settings.tips_dir, settings.strict_tags, settings.publish_weekday) == (
        "posts",
        True,
        "thursday",
    )
    assert settings.weekday_number == 3
    assert settings.docs_dir == "pages"
    assert settings.urls == {**URL_DEFAULTS, "tip": "posts/{slug}/"}


def test_inherit_merges_like_mkdocs(tmp_path):
    write(
        tmp_path / "base.yml",
        "docs_dir: content\nplugins:\n  - tipweek:\n      timezone: Europe/Paris\n",
    )
    config = write(
        tmp_path / "site" / "mkdocs.yml",
        "INHERIT: ../base.yml\nuse_directory_urls: false\n",
    )
    settings = load_settings(config)
    assert (settings.timezone, settings.docs_dir, settings.use_directory_urls) == (
        "Europe/Paris",
        "content",
        False,
    )


def test_a_plugin_mapping_and_a_bare_plugin_name_both_count(tmp_path):
    mapping = write(tmp_path / "a.yml", "plugins:\n  tipweek:\n    per_page: 5\n")
    assert load_settings(mapping).per_page == 5
    bare = write(tmp_path / "b.yml", "plugins: [search, tipweek]\n")
    assert load_settings(bare).per_page == 10


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "plugins:\n  - tipweek:\n      per_page: ten\n",
            3,
            "tipweek option 'per_page' must be a whole number",
        ),
        (
            "plugins:\n  - tipweek:\n      strict_tags: 1\n",
            3,
            "tipweek option 'strict_tags' must be true or false",
        ),
        (
            "site_name: x\nplugins:\n  - tipweek:\n      timezone: Mars/Olympus\n",
            4,
            "tipweek option 'timezone' unknown timezone 'Mars/Olympus' (use an IANA name "
            "such as 'Europe/Paris')",
        ),
        (
            "plugins:\n  - tipweek:\n      urls: {tip: 3}\n",
            3,
            "tipweek option 'urls.tip' must be text",
        ),
        ("plugins:\n  - tipweek: [a]\n", 2, "the tipweek plugin's options must be a mapping"),
        ("site_name: [unclosed\n", 2, "is not valid YAML: "),
        ("- a list\n", 1, "must be a mapping of settings (key: value lines)"),
        ("INHERIT: missing.yml\n", 1, "INHERIT: missing.yml does not exist"),
    ],
)
def test_bad_settings_name_the_file_and_line(tmp_path, text, line, message):
    config = write(tmp_path / "mkdocs.yml", text)
    with pytest.raises(TipError) as error:
        load_settings(config)
    assert (error.value.path, error.value.line) == ("mkdocs.yml", line)
    assert error.value.message.startswith(message)


def test_page_urls_match_what_mkdocs_computes(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for name in ("about.md", "README.md", "team/index.md", "team/casey.md", "a b.md"):
        write(tmp_path / "docs" / name, "# Page\n")
    for directory_urls in (True, False):
        config = write(
            tmp_path / "mkdocs.yml",
            f"site_name: T\nuse_directory_urls: {str(directory_urls).lower()}\n",
        )
        expected = mkdocs_page_urls(load_config(str(config)))
        settings = load_settings(config)
        assert set(docs_page_urls(settings.root / settings.docs_dir, directory_urls)) == expected
        assert set(settings.page_urls) == expected  # no other files in docs/ here
        assert len(expected) == 5


def test_the_sample_site_reads_the_same_through_both_paths(monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(REPO)
    mkdocs_config = load_config(os.fspath(REPO / "mkdocs.yml"))
    plugin = mkdocs_config.plugins["tipweek"].config
    settings = load_settings(REPO / "mkdocs.yml")
    assert dict(settings.options) == dict(plugin)
    pages = docs_page_urls(settings.root / settings.docs_dir, settings.use_directory_urls)
    assert set(pages) == mkdocs_page_urls(mkdocs_config)
    assert set(pages) < set(settings.page_urls)  # and the stylesheet, images…
    assert "assets/stylesheets/site.css" in settings.page_urls
