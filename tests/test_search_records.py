"""The pure part of the search: which tips are searchable, with what metadata, and
the Pagefind files made the same from the same input."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tipweek.core.archive import Archive
from tipweek.core.pagefind_canonical import SIGNATURE, FormatError, _decode, _encode, canonicalize
from tipweek.core.search_records import search_records
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def tip(title: str, day: str, **extra: object) -> Tip:
    slug = title.lower().replace(" ", "-")
    moment = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    return Tip(
        source=f"{day[:4]}/{day}-{slug}.md",
        abs_path=Path("/x"),
        title=title,
        date=moment,
        slug=slug,
        body="",
        **extra,
    )


def test_records_hold_published_tips_only_newest_first() -> None:
    archive = Archive(
        [
            tip("Old", "2019-05-07", tags=("empathy", "Phone skills")),
            tip("New", "2025-07-01", tags=("Empathy",)),
            tip("Draft", "2025-08-05", draft=True),
            tip("Later", "2026-01-06"),
            tip("Today", "2026-01-01"),
        ]
    )
    records = search_records(archive, UrlScheme(), NOW, date_format="%-m/%-d/%y")
    assert [record.title for record in records.values()] == ["Today", "New", "Old"]
    old = records["2019/2019-05-07-old.md"]
    assert old.url == "2019/05/07/old/"
    assert (old.date_iso, old.date_text, old.year) == ("2019-05-07", "5/7/19", "2019")
    # Tags by the archive's display name: one spelling per tag, whatever each tip wrote.
    assert old.tags == (archive.tags["empathy"].name, "Phone skills")
    assert records["2025/2025-07-01-new.md"].tags == (archive.tags["empathy"].name,)


def test_record_urls_follow_the_sites_links() -> None:
    archive = Archive([tip("New", "2025-07-01")])
    records = search_records(
        archive, UrlScheme(), NOW, date_format="%Y", link=lambda url: url + "index.html"
    )
    (record,) = records.values()
    assert record.url == "2025/07/01/new/index.html"


@pytest.mark.parametrize(
    "value",
    [
        0,
        23,
        24,
        255,
        256,
        65536,
        2**32,
        -1,
        -25,
        "",
        "déjà vu",
        b"\x00\xff",
        [],
        [1, [2, "a"]],
        {"k": [1, 2]},
    ],
)
def test_cbor_round_trip(value: object) -> None:
    data = _encode(value)
    assert _decode(data, 0) == (value, len(data))


def test_cbor_refuses_what_pagefind_does_not_write() -> None:
    with pytest.raises(FormatError):
        _decode(bytes([0xF9, 0, 0]), 0)  # a half-precision float
    with pytest.raises(FormatError):
        _decode(bytes([0x62, 0x61]), 0)  # a text string cut short


def write_pf(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + _encode(value), mtime=0))


def read_pf(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    return _decode(raw, len(SIGNATURE))[0]


def make_bundle(folder: Path, values: list, filters: list) -> None:
    write_pf(folder / "filter" / "en_aaaaaaa.pf_filter", ["tag", values])
    write_pf(folder / "filter" / "en_bbbbbbb.pf_filter", ["year", [["2025", [0]]]])
    meta = ["1.5.2", [["en_p", 3]], [], filters, [], ["title"]]
    write_pf(folder / "pagefind.en_0000000000.pf_meta", meta)
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_0000000000", "page_count": 1}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry))


def test_canonical_bundles_do_not_depend_on_hash_map_order(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    make_bundle(
        one,
        [["Phone", [0]], ["Empathy", [0, 1]]],
        [["year", "en_bbbbbbb"], ["tag", "en_aaaaaaa"]],
    )
    make_bundle(
        two,
        [["Empathy", [0, 1]], ["Phone", [0]]],
        [["tag", "en_aaaaaaa"], ["year", "en_bbbbbbb"]],
    )
    canonicalize(one)
    canonicalize(two)
    files = {p.relative_to(one).as_posix(): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    assert files == {
        p.relative_to(two).as_posix(): p.read_bytes() for p in two.rglob("*") if p.is_file()
    }
    entry = json.loads((one / "pagefind-entry.json").read_text())
    meta = read_pf(one / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["tag", "year"]
    tag_file = one / "filter" / f"{meta[3][0][1]}.pf_filter"
    assert read_pf(tag_file) == ["tag", [["Empathy", [0, 1]], ["Phone", [0]]]]
    assert len(list((one / "filter").iterdir())) == 2  # the old names are gone
