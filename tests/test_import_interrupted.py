"""An import killed halfway leaves only whole tips, and a re-run finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tipweek.core.project import load_project

POSTS = 800

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Big</title><link>https://old.example.com</link><description>d</description>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.com</wp:base_site_url>
"""

ITEM = """<item><title><![CDATA[Post number {n}]]></title>
<link>https://old.example.com/{path}/post-{n}/</link>
<dc:creator><![CDATA[pat]]></dc:creator>
<content:encoded><![CDATA[<p>{text}</p><ul><li>one</li><li>two</li></ul>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date><![CDATA[{day} 09:00:00]]></wp:post_date>
<wp:post_name><![CDATA[post-{n}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="training"><![CDATA[Training]]></category>
</item>
"""


def write_export(path: Path) -> None:
    start = date(2000, 1, 4)
    items = []
    for n in range(1, POSTS + 1):
        day = start + timedelta(weeks=n)
        items.append(
            ITEM.format(
                n=n,
                day=day.isoformat(),
                path=day.strftime("%Y/%m/%d"),
                text="Words of advice. " * 60,
            )
        )
    path.write_text(HEAD + "".join(items) + "</channel></rss>\n", encoding="utf-8")


def tip_count(root: Path) -> int:
    return sum(1 for p in (root / "tips").rglob("*.md") if not p.name.startswith("."))


@pytest.mark.linux_only
def test_a_killed_import_leaves_only_whole_tips(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - tipweek\n")
    export = tmp_path / "export.xml"
    write_export(export)
    command = [sys.executable, "-m", "tipweek", "import", str(export)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while tip_count(tmp_path) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = tip_count(tmp_path)
    assert 0 < written < POSTS, f"the kill should land mid-import ({written} of {POSTS} written)"

    project = load_project(tmp_path, "tips", ZoneInfo("UTC"))
    assert project.errors == []  # every tip file there is whole and valid
    assert len(project.tips) == written

    finished = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert finished.returncode == 0, finished.stderr
    assert f"imported {POSTS - written} tips, skipped {written}" in finished.stdout
    assert tip_count(tmp_path) == POSTS
