"""Drafts and scheduled tips: invisible in a build everywhere, badged in a preview."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import entry_titles
from mkdocs.exceptions import Abort

# 2025-07-08T12:00:00Z
EPOCH = "1751976000"


@pytest.fixture
def queued(make_site):
    make_site.add_tip("Live", "2025-07-01", "Published words.", tags=["live"])
    make_site.add_tip("Queued", "2025-07-15", "Secretqueued words.", tags=["future"])
    make_site.add_tip("Unfinished", "2025-06-24", "Secretdraft words.", tags=["wip"], draft=True)
    return make_site


def test_unpublished_tips_are_absent_from_every_output(queued):
    site = queued.build(epoch=EPOCH)
    assert not site.exists("/2025/07/15/queued/")
    assert not site.exists("/2025/06/24/unfinished/")
    assert entry_titles(site.html("/")) == ["Live"]
    assert entry_titles(site.html("/2025/")) == ["Live"]
    assert not site.exists("/tags/future/") and not site.exists("/tags/wip/")
    assert [a.get_text() for a in site.html("/tags/").select(".tw-tag-index a")] == ["live"]
    assert [e.title for e in site.feed().entries] == ["Live"]
    everything = b"".join(path.read_bytes() for path in site.site_dir.rglob("*") if path.is_file())
    for secret in (b"Secretqueued", b"Secretdraft", b"queued/", b"unfinished/"):
        assert secret not in everything
    sitemap = gzip.decompress(site.path("sitemap.xml.gz").read_bytes())
    assert b"queued" not in sitemap
    index = json.loads(site.path("search/search_index.json").read_text())
    assert not any("queued" in doc["location"] for doc in index["docs"])


def test_a_tip_goes_live_on_its_day_in_the_site_timezone(make_site):
    make_site.add_tip("Due", "2025-07-08")
    # 03:59 UTC on July 8 is still July 7 in New York.
    early = make_site.build({"timezone": "America/New_York"}, epoch="1751947140")
    assert entry_titles(early.html("/")) == []
    on_time = make_site.build({"timezone": "America/New_York"}, epoch="1751947200")
    assert entry_titles(on_time.html("/")) == ["Due"]


def test_without_source_date_epoch_the_clock_decides(make_site):
    make_site.add_tip("Long ago", "2001-01-02")
    make_site.add_tip("Far future", "2999-01-01")
    assert entry_titles(make_site.build(epoch=None).html("/")) == ["Long ago"]


def test_an_invalid_source_date_epoch_is_a_clear_error(make_site):
    make_site.add_tip("A", "2025-07-01")
    with pytest.raises(Abort):
        make_site.build(epoch="yesterday")
    assert any(
        "SOURCE_DATE_EPOCH='yesterday' is not a whole number" in m for m in make_site.messages()
    )


def test_serve_previews_drafts_and_scheduled_tips_with_badges(queued):
    site = queued.build(epoch=EPOCH, command="serve")
    home = site.html("/")
    assert entry_titles(home) == ["Queued", "Live", "Unfinished"]
    badges = [badge.get_text() for badge in home.select(".tw-badge")]
    assert badges == ["Scheduled for 7/15/25", "Draft"]
    assert site.html("/2025/06/24/unfinished/").select_one(".tw-badge").get_text() == "Draft"


def test_serve_can_hide_unpublished_tips(queued):
    site = queued.build({"preview_drafts": False}, epoch=EPOCH, command="serve")
    assert entry_titles(site.html("/")) == ["Live"]
