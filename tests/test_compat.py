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


def test_mkdocs_writes_pages_and_theme_files_through_utils_write_file(tmp_path) -> None:
    """Access 4: `_build_page` and `_build_theme_template` look `utils.write_file` up at each
    call, so the preview can watch (and skip) the writes."""
    for function in (mkdocs_build._build_page, mkdocs_build._build_theme_template):
        source = inspect.getsource(function)
        assert "utils.write_file(" in source, f"{function.__name__} no longer calls utils.write_file"
    written: list[str] = []
    with compat.watch_writes(lambda write, content, path: written.append(path)):
        import mkdocs.utils

        mkdocs.utils.write_file(b"x", str(tmp_path / "a.html"))
    assert written == [str(tmp_path / "a.html")] and not (tmp_path / "a.html").exists()
    mkdocs.utils.write_file(b"x", str(tmp_path / "a.html"))  # and the original is back
    assert (tmp_path / "a.html").read_bytes() == b"x"


def test_a_files_destination_is_joined_from_dest_dir_at_each_call(tmp_path) -> None:
    """Access 5: `File.abs_dest_path` joins `dest_dir` when asked, so pointing the files
    at another folder after MkDocs made them moves where they are written."""
    from mkdocs.structure.files import File

    file = File("a.md", str(tmp_path / "docs"), str(tmp_path / "old"), use_directory_urls=True)
    compat.redirect_outputs([file], str(tmp_path / "old"), str(tmp_path / "new"))
    assert file.abs_dest_path == str(tmp_path / "new" / "a" / "index.html")


def test_a_page_keeps_the_anchors_validate_anchor_links_reads(tmp_path) -> None:
    """Access 6: `Page.present_anchor_ids` and `Page.links_to_anchors` are what
    `validate_anchor_links` reads."""
    from mkdocs.structure.pages import Page

    source = inspect.getsource(Page.validate_anchor_links)
    assert "links_to_anchors" in source and "present_anchor_ids" in source
    assert "present_anchor_ids" in inspect.getsource(Page.render)


def test_plugins_keep_their_handlers_in_an_events_dict_of_lists() -> None:
    """Access 7: `PluginCollection.events` maps each event to its list of handlers, and
    the collection is a dict of plugins by name."""
    from mkdocs.plugins import PluginCollection

    plugins = PluginCollection()
    assert isinstance(plugins, dict)
    assert isinstance(plugins.events, dict) and isinstance(plugins.events["config"], list)


def test_generated_files_are_copied_from_their_content() -> None:
    """Access 8: `File.copy_file` writes `File._content` when a plugin gave it."""
    from mkdocs.structure.files import File

    assert "_content" in inspect.getsource(File.copy_file)
    assert "_content" in inspect.getsource(File.generated)
