"""Under `mkdocs serve`: each template is compiled once a session, not once a save.

MkDocs makes a new Jinja environment for every rebuild, and Jinja compiles
every template (Material's page, its partials, tipweek's) the first time the
new environment renders it: 40-odd templates, a few tenths of a second of
every save.  This keeps the compiled code in memory, in the `mkdocs serve`
process only, through Jinja's own bytecode-cache interface: an entry is used
for the same template name and file only if its source is unchanged (Jinja
checks a checksum of the source), and only by an environment whose settings
compile templates the same way (`_compile_settings`).  Nothing is written to
disk, so nothing compiled is ever read back from a file.

Switch: `TIPWEEK_WITHOUT=compiled-templates`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from tipweek.mkdocs import compat


class CompiledTemplates(BytecodeCache):
    """Compiled templates by Jinja's bucket key (name and file), per compile settings."""

    def __init__(self) -> None:
        self._by_settings: dict[str, dict[str, bytes]] = {}
        self._current: dict[str, bytes] = {}

    def use_for(self, env: Any) -> bool:
        """Let `env` compile through this cache; False (and nothing done) if it has a
        bytecode cache of its own."""
        if env.bytecode_cache is not None:
            return False
        self._current = self._by_settings.setdefault(_compile_settings(env), {})
        return compat.use_bytecode_cache(env, self)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._current.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._current[bucket.key] = bucket.bytecode_to_string()


def _compile_settings(env: Any) -> str:
    """What decides the code Jinja compiles a template source into, besides the source."""

    def name(value: Any) -> str:
        kind = value if isinstance(value, type) else type(value)
        if callable(value) and not isinstance(value, type):
            kind = value
        return f"{getattr(kind, '__module__', '')}.{getattr(kind, '__qualname__', repr(kind))}"

    settings = [
        sorted(env.extensions),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.autoescape if isinstance(env.autoescape, bool) else name(env.autoescape),
        name(env.finalize) if env.finalize is not None else None,
        env.is_async,
        name(env.code_generator_class),
        name(env.context_class),
    ]
    return repr(settings)
