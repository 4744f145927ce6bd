"""The tipweek options of a site, read from mkdocs.yml without importing MkDocs.

`tipweek check` runs as a pre-commit hook, so it must start fast: importing
MkDocs (and Markdown, Jinja, Material's plugins) would cost more than checking
a whole archive.  This module reads just what the CLI needs: the plugin's
options, validated by the one schema in `tipweek.core.options` that
`mkdocs/config.py` builds the plugin's MkDocs config from (so a value one
refuses, the other refuses with the same message), `docs_dir` and
`use_directory_urls`.

Real mkdocs.yml files carry tags such as `!ENV [SITE_URL, default]` or
`!!python/name:material.extensions.emoji.twemoji`; the loader resolves `!ENV`
the way MkDocs does and reads every other tag as plain data, so no Python
object is ever imported.  `INHERIT:` is followed like MkDocs does (a deep
merge in which the child's values and lists win).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

import yaml

from tipweek.core.dates import site_timezone
from tipweek.core.docs_pages import docs_urls
from tipweek.core.options import BY_NAME, DEFAULTS, WEEKDAYS, OptionError, validate_options
from tipweek.core.site_dir import site_dir_problem, source_folders
from tipweek.core.tips import TipError
from tipweek.core.urls import UrlScheme

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
PLUGIN_NAME = "tipweek"


@dataclass(frozen=True)
class Settings:
    """What the CLI needs to know about a site; paths are relative to `root`.

    `options` holds every tipweek option, validated by the schema in
    `tipweek.core.options` (defaults for a folder without mkdocs.yml); each is
    also an attribute: `settings.tips_dir`, `settings.urls`.  `warnings` are
    the config's warnings (unknown options), as MkDocs would give them.
    """

    root: Path
    config_file: Path | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    docs_dir: str = "docs"
    use_directory_urls: bool = True
    #: The theme's folders as MkDocs orders them: custom_dir first (see `theme_dirs`).
    theme_dirs: tuple[Path, ...] = ()
    warnings: tuple[TipError, ...] = ()

    def __getattr__(self, name: str) -> Any:
        # Only for option names: anything else is a genuine AttributeError.
        if name not in BY_NAME:
            raise AttributeError(name)
        return self.options[name]

    @property
    def tz(self) -> tzinfo:
        return site_timezone(self.timezone)  # validated when the settings were read

    @property
    def scheme(self) -> UrlScheme:
        return UrlScheme(**self.urls)

    @property
    def page_urls(self) -> dict[str, str]:
        """URLs of the hand-written pages in docs/, which tips and aliases cannot take."""
        return docs_urls(self.root / self.docs_dir, self.use_directory_urls)

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
    """Read the site's settings; raise `SettingsError` (every bad option, with file and
    line) if they are wrong, as `mkdocs build` would refuse them."""
    source = source or config_file.name
    data = _load_config_file(config_file, source, seen=set())
    given = _plugin_options(data, source)
    options, errors, warnings = validate_options(given)
    if errors:
        problems = [_located(given, error, source, "error") for error in errors]
        raise SettingsError(sorted(problems, key=lambda p: (p.path, p.line)))
    docs_dir = data.get("docs_dir") or "docs"
    use_directory_urls = data.get("use_directory_urls")
    _refuse_site_dir(data, config_file.resolve().parent, str(docs_dir), options, source)
    return Settings(
        root=config_file.resolve().parent,
        config_file=config_file,
        options=options,
        docs_dir=str(docs_dir),
        use_directory_urls=True if use_directory_urls is None else bool(use_directory_urls),
        warnings=tuple(
            sorted(
                (_located(given, warning, source, "warning") for warning in warnings),
                key=lambda p: (p.path, p.line),
            )
        ),
        theme_dirs=theme_dirs(data.get("theme"), config_file.resolve().parent),
    )


def theme_dirs(theme: Any, root: Path) -> tuple[Path, ...]:
    """The folders MkDocs takes theme files from: custom_dir, the theme's own, tipweek's.

    Found without importing the theme (`find_spec` only locates a package), so
    `tipweek check` knows which files an alias must not replace.
    """
    import importlib.util  # only for a site that has a mkdocs.yml

    if isinstance(theme, Mapping):
        name, custom_dir = theme.get("name"), theme.get("custom_dir")
    else:
        name, custom_dir = theme, None
    folders = [root / str(custom_dir)] if custom_dir else []
    package = {"material": ("material", "templates")}.get(str(name), ("mkdocs", f"themes/{name}"))
    spec = importlib.util.find_spec(package[0]) if name else None
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(next(iter(spec.submodule_search_locations))) / package[1])
    # The plugin adds its own templates, last.
    folders.append(Path(__file__).resolve().parent.parent / "mkdocs" / "templates")
    return tuple(folder for folder in folders if folder.is_dir())


def _refuse_site_dir(
    data: Mapping[str, Any], root: Path, docs_dir: str, options: Mapping[str, Any], source: str
) -> None:
    """`mkdocs build` empties site_dir: refuse one that would delete sources, as the
    plugin does (`tipweek.core.site_dir`), so the pre-commit hook catches it too."""
    site_dir = data.get("site_dir") or "site"
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    sources = source_folders(
        root,
        root / str(options["tips_dir"]),
        root / docs_dir,
        root / str(custom_dir) if custom_dir else None,
    )
    problem = site_dir_problem(root / str(site_dir), sources)
    if problem:
        where = getattr(data, "where", {}).get("site_dir", (source, 1))
        raise TipError(where[0], where[1], problem)


def config_data(config_file: Path) -> dict[str, Any]:
    """The whole mkdocs.yml as plain data (`!ENV` resolved, `INHERIT:` followed), for
    the few readers that need more than the plugin's options, such as the importer."""
    return dict(_load_config_file(config_file, config_file.name, seen=set()))


class SettingsError(TipError):
    """Every bad option of a mkdocs.yml; reads as the first one, prints as all of them."""

    def __init__(self, problems: list[TipError]) -> None:
        first = problems[0]
        super().__init__(first.path, first.line, first.message)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(TipError.__str__(problem) for problem in self.problems)


def _located(given: _Mapping, problem: OptionError, source: str, severity: str) -> TipError:
    """The problem at the line of the deepest key of its path that mkdocs.yml spells out."""
    where = (source, 1)
    node: Any = given
    for part in problem.path:
        if isinstance(node, _Mapping) and part in node.where:
            where = node.where[part]
        node = _child(node, part)
    # Errors read as a sentence ("… 'per_page' must be at least 1"); warnings quote
    # MkDocs' own words ("… 'foo': Unrecognised configuration name: foo").
    separator = ":" if severity == "warning" else ""
    message = f"tipweek option '{problem.name}'{separator} {problem.message}"
    return TipError(where[0], where[1], message, severity=severity)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):  # list items are counted from 1 in messages
        return node[part - 1] if isinstance(node, list) and len(node) >= part else None
    return node.get(part) if isinstance(node, Mapping) else None


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
