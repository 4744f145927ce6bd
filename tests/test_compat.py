"""Every private MkDocs and Material access of `tipweek.mkdocs.compat`, checked on the
installed versions: an upgrade that renames or reshapes one fails here, by name, not
as a wrong page somewhere in a build."""

from __future__ import annotations

import inspect

import markdown
import mkdocs.structure.pages as mkdocs_pages
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig

from tipweek.mkdocs import compat


def test_mkdocs_page_processors_register_on_a_markdown_instance() -> None:
    for name in (
        "_RelativePathTreeprocessor",
        "_ExtractAnchorsTreeprocessor",
        "_ExtractTitleTreeprocessor",
        "_RawHTMLPreprocessor",
    ):
        processor = getattr(mkdocs_pages, name, None)
        assert processor is not None, f"mkdocs.structure.pages.{name} is gone"
        assert callable(getattr(processor, "_register", None)), f"{name}._register is gone"
    handler = getattr(mkdocs_pages, "_HTMLHandler", None)
    assert handler is not None, "mkdocs.structure.pages._HTMLHandler is gone"
    assert hasattr(handler(), "present_anchor_ids")
    anchors = inspect.signature(mkdocs_pages._ExtractAnchorsTreeprocessor).parameters
    assert list(anchors)[:3] == ["file", "files", "config"]


def test_a_page_rendered_through_compat_matches_page_render(tmp_path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Title here\n\nSee [b](b.md#part).\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## Part\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = Files(
        [
            File(name, config.docs_dir, config.site_dir, config.use_directory_urls)
            for name in ("a.md", "b.md")
        ]
    )
    ours, theirs = (
        mkdocs_pages.Page(None, files.get_file_from_path("a.md"), config) for _ in range(2)
    )
    theirs.read_source(config)
    theirs.render(config, files)

    ours.read_source(config)
    md = markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    found = compat.register_page_processors(md, ours, files, config)
    ours.content = md.convert(ours.markdown)
    compat.set_rendered_title(ours, found.found_title)

    assert ours.content == theirs.content
    assert ours.title == theirs.title == "Title here"
    assert found.looked_up_files
    assert found.present_anchor_ids == theirs.present_anchor_ids


def test_template_context_is_the_one_mkdocs_builds() -> None:
    assert "_current_page" in MkDocsConfig.__dict__ or hasattr(MkDocsConfig(), "_current_page")
    parameters = list(inspect.signature(mkdocs_build.get_context).parameters)
    assert parameters[:4] == ["nav", "files", "config", "page"]


def test_material_search_index_keeps_a_list_of_entries(make_site) -> None:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex()
    assert isinstance(index.entries, list), "Material's SearchIndex.entries is no longer a list"
    make_site.add_tip("Tip 1", "2025-01-07")
    site = make_site.build()
    assert site.exists("search/search_index.json")
