"""The one way tips and caches are written: all of the new file or none of it."""

from __future__ import annotations

import os
import stat

import pytest

from tipweek.core.atomic_files import create_atomically, replace_atomically


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_create_writes_a_new_file_with_unix_newlines_and_ordinary_permissions(tmp_path):
    path = tmp_path / "tips" / "2025" / "x.md"
    create_atomically(path, "---\ntitle: é\n---\n")
    assert path.read_bytes() == "---\ntitle: é\n---\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert leftovers(path.parent) == []


def test_create_never_overwrites_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("editor's text", encoding="utf-8")
    with pytest.raises(FileExistsError):
        create_atomically(path, "other text")
    assert path.read_text(encoding="utf-8") == "editor's text"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("durable", [True, False])
def test_replace_swaps_the_whole_file(tmp_path, durable):
    path = tmp_path / "cache.json"
    path.write_text("old", encoding="utf-8")
    replace_atomically(path, "new", durable=durable)
    assert path.read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path) == []


def test_a_failed_replace_keeps_the_old_file_and_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "cache.json"
    path.write_text("old", encoding="utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        replace_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []
