"""Compiling the theme's templates on the idle core while the build reads its tips.

Jinja compiles a template (parses it, generates Python, compiles that) the
first time it is loaded: for Material's page templates and the partials they
reach, about 0.17 s of every build, spent in the build's own process while the
second core waits.  Nothing about it depends on the tips, so `start` (in
`on_config`) forks a child that compiles every template reachable by name
from the pages' templates while the build loads and checks the tips, and
`install` (in `on_env`, once MkDocs has made its Jinja environment) hands the
result to that environment as an in-memory `jinja2.BytecodeCache`: loading a
template then only runs its compiled code.

What makes this exactly the same as compiling in place:

- A template's code is used only for the same name, file and source: Jinja's
  own bucket key (name and file name) and source checksum, checked by Jinja
  when it loads the template.  A template changed since, or found in another
  folder (a plugin that adds a theme folder later), is compiled as usual.
- Compiling depends on the environment's settings (extensions, syntax,
  autoescape): the child reports the settings it compiled with, and `install`
  uses nothing if MkDocs' environment, after every plugin's `on_env`, differs.
- A template that fails to compile is left out, so its error comes from
  MkDocs, as it would have.

The code travels as `marshal` data through a pipe from a child of this very
process, in this build; nothing is written to disk or read from `.cache`.
Like the other forks it needs two cores and no other thread running (so not
in `mkdocs serve`'s rebuilds), and ends with the build
(`TIPWEEK_WITHOUT=templates-ahead` turns it off for measurement).
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import signal
from collections.abc import Iterable
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache, meta
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig

from tipweek.core import speedups
from tipweek.mkdocs.forking import can_fork
from tipweek.system.processes import die_with_parent

#: Compiled code by Jinja's bucket key: (source checksum, code).
Compiled = dict[str, tuple[str, CodeType]]


class CompilingChild:
    """A forked child compiling templates; `install` collects its work."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe

    def collect(self) -> tuple[object, Compiled] | None:
        """Wait for the child; (the settings it compiled with, its code), or None."""
        chunks = []
        pipe, self.pipe = self.pipe, -1
        try:
            with os.fdopen(pipe, "rb") as reader:
                while chunk := reader.read(1 << 16):
                    chunks.append(chunk)
        except OSError:
            chunks = []
        self.discard()
        try:
            settings, compiled = marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return None  # the child died or sent nothing: compile as usual
        return settings, compiled

    def discard(self, *, stop: bool = False) -> None:
        """Reap the child, first ending it if `stop` (a build that ends before `on_env`):
        no process outlives the build."""
        if self.pipe >= 0:
            with contextlib.suppress(OSError):
                os.close(self.pipe)
            self.pipe = -1
        if self.pid:
            if stop:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def start(config: MkDocsConfig, names: Iterable[str]) -> CompilingChild | None:
    """Fork a child compiling `names` and every template they reach by name, with the
    environment MkDocs will make (`config.theme.get_env()`); None where forking is
    unsafe or switched off."""
    if speedups.off("templates-ahead") or not can_fork():
        return None
    names = list(names)
    parent = os.getpid()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compile, send, and leave without running any exit handler
        try:
            os.close(read_end)
            die_with_parent(parent)
            logging.disable(logging.CRITICAL)
            env = config.theme.get_env()
            data = marshal.dumps((compile_settings(env), compile_reachable(env, names)))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    return CompilingChild(pid, read_end)


def install(child: CompilingChild | None, env: Any) -> int:
    """Give `env` the child's compiled templates; how many (0 if none can be used)."""
    if child is None:
        return 0
    result = child.collect()
    if result is None or env.bytecode_cache is not None:
        return 0  # nothing came, or the environment has a cache of someone else's
    settings, compiled = result
    if settings != compile_settings(env):
        return 0  # a plugin changed how templates compile: its settings win
    env.bytecode_cache = _CompiledAhead(compiled)
    return len(compiled)


def compile_reachable(env: Any, names: Iterable[str]) -> Compiled:
    """Each template in `names`, and each it extends, includes or imports by a constant
    name, compiled; a template that cannot be found or compiled is left out."""
    keys = BytecodeCache()
    compiled: Compiled = {}
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _uptodate = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
            code = env.compile(tree, name, filename)
        except Exception:  # MkDocs reports it when the template is used
            continue
        key = keys.get_cache_key(name, filename)
        compiled[key] = (keys.get_source_checksum(source), code)
        todo.extend(ref for ref in meta.find_referenced_templates(tree) if isinstance(ref, str))
    return compiled


def compile_settings(env: Any) -> object:
    """What an environment compiles templates with (marshal-able, comparable)."""
    return (
        tuple(sorted(env.extensions)),
        tuple(
            str(getattr(env, name))
            for name in (
                "block_start_string",
                "block_end_string",
                "variable_start_string",
                "variable_end_string",
                "comment_start_string",
                "comment_end_string",
                "line_statement_prefix",
                "line_comment_prefix",
                "trim_blocks",
                "lstrip_blocks",
                "newline_sequence",
                "keep_trailing_newline",
                "optimized",
                "autoescape",
                "finalize",
                "is_async",
            )
        ),
    )


class _CompiledAhead(BytecodeCache):
    """Jinja's bytecode cache interface over code compiled in this build, in memory."""

    def __init__(self, compiled: Compiled) -> None:
        self._compiled = compiled

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._compiled.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        pass  # compiled here: nothing is kept beyond this build
