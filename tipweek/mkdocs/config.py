"""The plugin's MkDocs `Config` class, built from the one schema in `tipweek.core.options`.

Each option becomes a `SchemaOption`, whose validation is the schema's: a bad
value is a MkDocs config error carrying the same message `tipweek check`
shows, and nothing is checked a second time in `on_config`.  Unknown options
are warned about by MkDocs itself (unknown sub-options by `SchemaOption`, in
MkDocs' words).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base

from tipweek.core.options import OPTIONS, Option, OptionError, default_of, validate


class Options(dict):
    """A validated mapping option (`urls`, `pager`, a call-to-action link), read as
    `config.urls.tip` like MkDocs' own sub-configs."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _attribute_access(value: Any) -> Any:
    if isinstance(value, dict):
        return Options({key: _attribute_access(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_attribute_access(item) for item in value]
    return value


class SchemaOption(base.BaseConfigOption[Any]):
    """A MkDocs config option whose type, default and rule come from the schema."""

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.default = default_of(option)

    def validate(self, value: object, /) -> Any:
        # MkDocs calls `validate` with None for an absent option: the schema gives
        # the default then, as it does for `tipweek check`.
        return self.run_validation(value)

    def run_validation(self, value: object) -> Any:
        try:
            checked, warnings = validate(self.option, value)
        except OptionError as error:
            raise base.ValidationError(_detail(error)) from None
        self.warnings.extend(_detail(warning) for warning in warnings)
        return _attribute_access(checked)


def _detail(error: OptionError) -> str:
    """The message after the sub-option it is about, in MkDocs' words; MkDocs itself
    names the option: `option 'urls': Sub-option 'tip': must end with '/'…`."""
    parts = [
        f"Item {part}" if isinstance(part, int) else f"Sub-option '{part}'"
        for part in error.path[1:]
    ]
    return ": ".join([*parts, error.message])


TipweekConfig: type[base.Config] = type(
    "TipweekConfig",
    (base.Config,),
    {"__module__": __name__, **{option.name: SchemaOption(option) for option in OPTIONS}},
)
