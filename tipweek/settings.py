"""The tipweek options of a site, read from mkdocs.yml without importing MkDocs.

`tipweek check` runs as a pre-commit hook, so it must start fast: importing
MkDocs (and Markdown, Jinja, Material's plugins) would cost more than checking
a whole archive.  This module reads just what the CLI needs: the plugin's
options (defaults from `tipweek.defaults`, the table `config.py` uses too),
`docs_dir` and `use_directory_urls`.

Real mkdocs.yml files carry tags such as `!ENV [SITE_URL, default]` or
`!!python/name:material.extensions.emoji.twemoji`; the loader resolves `!ENV`
the way MkDocs does and reads every other tag as plain data, so no Python
object is ever imported.  `INHERIT:` is followed like MkDocs does (a deep
merge in which the child's values and lists win).
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import yaml

from tipweek.dates import DateError, site_timezone
from tipweek.defaults import PLUGIN_DEFAULTS, URL_DEFAULTS, WEEKDAYS
from tipweek.site_paths import docs_asset_paths
from tipweek.tips import TipError
from tipweek.urls import UrlScheme

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
PLUGIN_NAME = "tipweek"


@dataclass(frozen=True)
class Settings:
    """What the CLI needs to know about a site; paths are relative to `root`."""

    root: Path
    config_file: Path | None = None
    tips_dir: str = str(PLUGIN_DEFAULTS["tips_dir"])
    authors_file: str = str(PLUGIN_DEFAULTS["authors_file"])
    tags_file: str = str(PLUGIN_DEFAULTS["tags_file"])
    strict_tags: bool = bool(PLUGIN_DEFAULTS["strict_tags"])
    timezone: str = str(PLUGIN_DEFAULTS["timezone"])
    publish_weekday: str = str(PLUGIN_DEFAULTS["publish_weekday"])
    per_page: int = int(PLUGIN_DEFAULTS["per_page"])
    urls: dict[str, str] = field(default_factory=lambda: dict(URL_DEFAULTS))
    docs_dir: str = "docs"
    use_directory_urls: bool = True
    #: The theme's folders as MkDocs orders them: custom_dir first (see `theme_dirs`).
    theme_dirs: tuple[Path, ...] = ()

    @property
    def tz(self) -> tzinfo:
        return site_timezone(self.timezone)  # validated when the settings were read

    @property
    def scheme(self) -> UrlScheme:
        return UrlScheme(**self.urls)

    @property
    def weekday_number(self) -> int:
        """Monday is 0, as in `date.weekday()`."""
        return WEEKDAYS.index(self.publish_weekday)


def find_config(cwd: Path) -> Path | None:
    """mkdocs.yml (or mkdocs.yaml) in `cwd`, as `mkdocs build` would pick it."""
    for name in CONFIG_NAMES:
        if (cwd / name).is_file():
            return cwd / name
    return None


def default_settings(root: Path) -> Settings:
    """The settings of a folder with no mkdocs.yml: every option at its default."""
    return Settings(root=root.resolve())


def load_settings(config_file: Path, source: str | None = None) -> Settings:
    """Read the site's settings; raise `TipError` (with file and line) if they are wrong."""
    source = source or config_file.name
    data = _load_config_file(config_file, source, seen=set())
    options = _plugin_options(data, source)
    values: dict[str, Any] = {}
    for key, default in PLUGIN_DEFAULTS.items():
        value = options.get(key)
        if value is None:  # MkDocs, too, treats a blank option as its default
            continue
        if not _same_type(value, default):
            raise _option_error(options, key, source, f"must be {_type_name(default)}")
        values[key] = value
    _validate_choices(values, options, source)
    values["urls"] = _url_options(options, source)
    docs_dir = data.get("docs_dir") or "docs"
    use_directory_urls = data.get("use_directory_urls")
    return Settings(
        root=config_file.resolve().parent,
        config_file=config_file,
        docs_dir=str(docs_dir),
        use_directory_urls=True if use_directory_urls is None else bool(use_directory_urls),
        theme_dirs=theme_dirs(data.get("theme"), config_file.resolve().parent),
        **values,
    )


def theme_dirs(theme: Any, root: Path) -> tuple[Path, ...]:
    """The folders MkDocs takes theme files from: custom_dir, the theme's own, tipweek's.

    Found without importing the theme (`find_spec` only locates a package), so
    `tipweek check` knows which files an alias must not replace.
    """
    import importlib.util  # only for a site that has a mkdocs.yml

    name, custom_dir = (
        (theme.get("name"), theme.get("custom_dir")) if isinstance(theme, dict) else (theme, None)
    )
    folders = [root / str(custom_dir)] if custom_dir else []
    package = {"material": ("material", "templates")}.get(str(name), ("mkdocs", f"themes/{name}"))
    spec = importlib.util.find_spec(package[0]) if name else None
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(next(iter(spec.submodule_search_locations))) / package[1])
    folders.append(Path(__file__).parent / "templates")  # the plugin adds its own, last
    return tuple(folder for folder in folders if folder.is_dir())


def docs_page_urls(settings: Settings) -> dict[str, str]:
    """URLs of the hand-written pages, exactly as MkDocs' `File.url` computes them.

    Mirrors `tipweek.pages.docs_page_urls` (which asks MkDocs itself), so an
    alias that would replace a page is caught by `tipweek check` too.
    """
    docs = settings.root / settings.docs_dir
    if not docs.is_dir():
        return {}
    urls = {}
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        urls[_page_url(relative, settings.use_directory_urls)] = f"the page {docs.name}/{relative}"
    urls.update(docs_asset_paths(docs))  # as tipweek.pages.docs_page_urls does
    return urls


def _page_url(src_uri: str, use_directory_urls: bool) -> str:
    posix = PurePosixPath(src_uri)
    parent = "" if str(posix.parent) == "." else f"{posix.parent}/"
    name = "index" if posix.stem == "README" else posix.stem
    if use_directory_urls:
        url = (parent or "./") if name == "index" else f"{parent}{name}/"
    else:
        url = f"{parent}{name}.html"
    return quote(url)


class _Mapping(dict):
    """A YAML mapping that remembers the file and line of each key, for messages."""

    def __init__(self) -> None:
        super().__init__()
        self.where: dict[Any, tuple[str, int]] = {}


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that keeps key lines, resolves `!ENV` and tolerates any other tag."""

    source = "mkdocs.yml"


def _construct_mapping(loader: _ConfigLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)  # YAML merge keys (`<<: *defaults`)
    mapping = _Mapping()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.where[key] = (loader.source, key_node.start_mark.line + 1)
    return mapping


def _construct_env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, as pyyaml-env-tag (MkDocs) reads it."""
    default = None
    if isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    elif isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _construct_other_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    """Any other tag (`!!python/name:…`, `!relative`) is read as the data it is written as."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return _construct_mapping(loader, node)


_ConfigLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_multi_constructor("", _construct_other_tag)


def _load_config_file(path: Path, source: str, seen: set[Path]) -> _Mapping:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TipError(source, 1, f"cannot read the configuration ({error})") from error
    loader = _ConfigLoader(text)
    loader.source = source
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "invalid YAML"
        raise TipError(source, mark.line + 1 if mark else 1, f"is not valid YAML: {what}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise TipError(source, 1, f"is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if data is None:
        return _Mapping()
    if not isinstance(data, _Mapping):
        raise TipError(source, 1, "must be a mapping of settings (key: value lines)")
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    line = data.where.pop("INHERIT")[1]
    parent_path = (path.parent / str(parent)).resolve()
    if parent_path in seen or not parent_path.is_file():
        reason = "inherits from itself" if parent_path in seen else "does not exist"
        raise TipError(source, line, f"INHERIT: {parent} {reason}")
    parent_source = os.path.relpath(parent_path)
    parent_data = _load_config_file(parent_path, parent_source, seen | {path.resolve()})
    return _merge(parent_data, data)


def _merge(parent: _Mapping, child: _Mapping) -> _Mapping:
    """MkDocs' INHERIT merge: mappings merge key by key, anything else the child replaces."""
    merged = _Mapping()
    merged.update(parent)
    merged.where.update(parent.where)
    for key, value in child.items():
        old = merged.get(key)
        if isinstance(old, _Mapping) and isinstance(value, _Mapping):
            merged[key] = _merge(old, value)
        else:
            merged[key] = value
        merged.where[key] = child.where[key]
    return merged


def _plugin_options(data: _Mapping, source: str) -> _Mapping:
    """The `tipweek:` options under `plugins:` (a list or a mapping); empty if absent."""
    plugins = data.get("plugins")
    entries: list[Any] = list(plugins) if isinstance(plugins, list) else [plugins]
    for entry in entries:
        if entry == PLUGIN_NAME:
            return _Mapping()
        if isinstance(entry, _Mapping) and PLUGIN_NAME in entry:
            options = entry[PLUGIN_NAME]
            if options is None:
                return _Mapping()
            if not isinstance(options, _Mapping):
                line = entry.where[PLUGIN_NAME][1]
                raise TipError(source, line, "the tipweek plugin's options must be a mapping")
            return options
    return _Mapping()


def _url_options(options: _Mapping, source: str) -> dict[str, str]:
    urls = dict(URL_DEFAULTS)
    given = options.get("urls")
    if given is None:
        return urls
    if not isinstance(given, _Mapping):
        raise _option_error(options, "urls", source, "must be a mapping such as {tip: ...}")
    for key, value in given.items():
        if key in urls and value is not None:
            if not isinstance(value, str):
                raise _option_error(given, key, source, "must be text", prefix="urls.")
            urls[key] = value
    return urls


def _validate_choices(values: dict[str, Any], options: _Mapping, source: str) -> None:
    weekday = values.get("publish_weekday")
    if weekday is not None and weekday not in WEEKDAYS:
        raise _option_error(
            options, "publish_weekday", source, f"must be one of: {', '.join(WEEKDAYS)}"
        )
    if "timezone" in values:
        try:
            site_timezone(values["timezone"])
        except DateError as error:
            raise _option_error(options, "timezone", source, str(error)) from None
    if values.get("per_page", 1) < 1:
        raise _option_error(options, "per_page", source, "must be at least 1")


def _option_error(
    options: _Mapping, key: str, source: str, message: str, prefix: str = ""
) -> TipError:
    where_source, line = options.where.get(key, (source, 1))
    return TipError(where_source, line, f"tipweek option '{prefix}{key}' {message}")


def _same_type(value: object, default: object) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _type_name(default: object) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    return "text"
