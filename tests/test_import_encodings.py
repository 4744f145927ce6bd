"""Sources in any encoding Python knows are imported; an unknown or wrong one is a note.

WordPress writes the blog's charset into its export's XML declaration, and
the XML parser decodes only a few encodings itself: these exports (written
here, one post each) once stopped the import with a traceback or came over
garbled.
"""

from __future__ import annotations

import codecs
import re

import pytest
from conftest import serve_folder

from tests.import_exports import TIP, one_post_export
from tests.test_import import front, make_project, run_import
from tipweek.importer.charsets import to_utf8
from tipweek.importer.source import SourceError, parse_source

DECLARED = [
    # (declared encoding, codec the bytes are in, a title that encoding can hold)
    ("big5", "big5", "客服的小技巧"),
    ("gb2312", "gb2312", "客服小窍门"),
    ("euc-kr", "euc-kr", "고객 응대 요령"),
    ("shift_jis", "shift_jis", "お客様対応のコツ"),
    ("EUC-JP", "euc-jp", "電話の取り方"),
    ("koi8-r", "koi8-r", "Советы службы поддержки"),
    ("utf16", "utf-16", "Ünïcode désk — 日本"),  # with a BOM, Python's spellings
    ("u16", "utf-16", "Ünïcode désk — 日本"),
    ("utf_16", "utf-16", "Ünïcode désk — 日本"),
    ("UTF-16", "utf-16-be", "Ünïcode désk — 日本"),  # without a BOM
    ("UTF-16", "utf-16-le", "Ünïcode désk — 日本"),
    ("utf-32", "utf-32", "Ünïcode désk — 日本"),
    ("UTF-32", "utf-32-be", "Ünïcode désk — 日本"),
    ("UTF-32", "utf-32-le", "Ünïcode désk — 日本"),
]


@pytest.mark.parametrize(("declared", "codec", "title"), DECLARED)
def test_an_export_in_any_declared_encoding_imports(tmp_path, capsys, declared, codec, title):
    project = make_project(tmp_path)
    export = one_post_export(tmp_path, title=title, encoding=declared, codec=codec)
    assert run_import(project, str(export)) == 0
    assert front(project, TIP)["title"] == title
    captured = capsys.readouterr()
    assert "imported 1 tip, skipped 0, failed 0" in captured.out
    assert "note:" not in captured.err  # the file said what it is: nothing was guessed


def test_an_unknown_declared_encoding_is_a_note_not_a_traceback(tmp_path, capsys):
    project = make_project(tmp_path)
    export = one_post_export(tmp_path, title="Café notes", encoding="x-made-up", codec="utf-8")
    assert run_import(project, str(export), "--report", "report.md") == 0
    assert front(project, TIP)["title"] == "Café notes"
    err = capsys.readouterr().err
    assert "declares the encoding 'x-made-up', which is not known" in err
    assert "declares the encoding" in (project / "report.md").read_text(encoding="utf-8")


def test_a_wrong_declaration_falls_back_and_says_so(tmp_path, capsys):
    project = make_project(tmp_path)
    title = "Crème brûlée for the café\u2019s regulars"
    # Declared UTF-8, written in windows-1252 (an old blog's database, a new header).
    export = one_post_export(tmp_path, title=title, encoding="UTF-8", codec="cp1252")
    assert run_import(project, str(export)) == 0
    assert front(project, TIP)["title"] == title  # the old blogs' code page wins a tie
    err = capsys.readouterr().err
    assert "declares the encoding 'UTF-8', but is not in it" in err
    assert "read as" in err


def test_an_undeclared_non_utf8_export_is_detected_and_said(tmp_path, capsys):
    project = make_project(tmp_path)
    title = "お客様の声を聞くこと。電話では笑顔で話しましょう。"
    content = "<p>" + "お客様の話を最後まで聞いてから、答えましょう。" * 4 + "</p>"
    export = one_post_export(tmp_path, title=title, content=content, encoding="", codec="shift_jis")
    assert run_import(project, str(export)) == 0
    assert front(project, TIP)["title"] == title
    err = capsys.readouterr().err
    # cp932 is Microsoft's superset of Shift JIS: either name is right.
    assert re.search(r"no encoding declared, and not UTF-8; read as (shift_jis|cp932)", err)


def test_a_utf8_file_with_a_few_stray_bytes_stays_utf8():
    text = '<?xml version="1.0"?><rss version="2.0"><channel><title>Ünïcödé ĉĥàřś ôk</title>'
    data = text.encode("utf-8") + b"\x96 stray</channel></rss>"
    decoded = to_utf8(data, "x.xml")
    assert decoded.encoding == "utf-8"
    assert "Ünïcödé ĉĥàřś ôk" in decoded.data.decode("utf-8")
    assert decoded.notes == [
        "x.xml: read as UTF-8; 1 byte sequence is not UTF-8 and shows as \ufffd"
    ]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-16", "utf-16-be"])
def test_wide_encodings_are_told_apart_from_truncation_and_html(codec):
    html = '<?xml version="1.0"?>\n<html><head><title>x</title></head></html>'
    with pytest.raises(SourceError, match="this is an HTML page"):
        parse_source(html.encode(codec), "page.xml")
    truncated = '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>'
    with pytest.raises(SourceError, match="looks truncated"):
        parse_source(truncated.encode(codec), "cut.xml")


def test_the_declaration_is_rewritten_for_the_parser():
    data = "<?xml version='1.0' encoding='big5'?><rss/>".encode("big5")
    assert to_utf8(data, "x").data == b"<?xml version='1.0' encoding='utf-8'?><rss/>"


# --------------------------------------------------------------------------- #
# Over HTTP: the server's `charset` is the first word (RFC 7303), after a BOM
# --------------------------------------------------------------------------- #

SERVED = [
    # (Content-Type sent, declaration, codec of the bytes, title)
    ("application/rss+xml; charset=koi8-r", "", "koi8-r", "Советы службы поддержки"),
    ("text/xml; charset=Shift_JIS", "", "shift_jis", "お客様対応のコツ"),
    # The declaration is wrong, the server is right: the server wins.
    ("application/xml; charset=windows-1252", "UTF-8", "cp1252", "Crème brûlée, café\u2019s"),
    ("text/xml; charset=euc-kr", "iso-8859-1", "euc-kr", "고객 응대 요령"),
]


@pytest.mark.parametrize(("content_type", "declared", "codec", "title"), SERVED)
def test_the_servers_charset_decides_over_the_declaration(
    tmp_path, capsys, content_type, declared, codec, title
):
    project = make_project(tmp_path)
    one_post_export(tmp_path, title=title, encoding=declared, codec=codec)
    with serve_folder(tmp_path, {"export.xml": content_type}) as base:
        assert run_import(project, f"{base}/export.xml") == 0
    assert front(project, TIP)["title"] == title
    err = capsys.readouterr().err
    charset = content_type.split("=")[1]
    if declared and codecs.lookup(declared).name != codecs.lookup(codec).name:
        # Both words are named, and which was taken.
        assert (
            f"the server says {charset!r} and declares the encoding {declared!r}; "
            f"read as {charset}, the server's word"
        ) in err
    else:
        assert "note:" not in err  # the server said what it is: nothing was guessed


def test_a_one_byte_charset_on_utf8_bytes_is_read_as_utf8(tmp_path, capsys):
    """Apache's `AddDefaultCharset ISO-8859-1` on a UTF-8 feed: the bytes are valid UTF-8,
    which text in a one-byte code page almost never is, so they are read as UTF-8."""
    project = make_project(tmp_path)
    title = "Ünïcode désk — 日本"
    one_post_export(tmp_path, title=title, encoding="UTF-8")
    with serve_folder(tmp_path, {"export.xml": "text/xml; charset=ISO-8859-1"}) as base:
        assert run_import(project, f"{base}/export.xml") == 0
    assert front(project, TIP)["title"] == title
    assert "the server says 'ISO-8859-1', but the bytes are UTF-8; read as UTF-8" in (
        capsys.readouterr().err
    )


def test_a_one_byte_declaration_on_utf8_bytes_is_read_as_utf8(tmp_path, capsys):
    project = make_project(tmp_path)
    title = "Crème brûlée — 日本"
    one_post_export(tmp_path, title=title, encoding="ISO-8859-1", codec="utf-8")
    assert run_import(project, str(tmp_path / "export.xml")) == 0
    assert front(project, TIP)["title"] == title
    assert "declares the encoding 'ISO-8859-1', but the bytes are UTF-8; read as UTF-8" in (
        capsys.readouterr().err
    )


def test_a_bom_decides_over_the_servers_charset(tmp_path):
    data = codecs.BOM_UTF8 + '<?xml version="1.0"?><rss><title>Ünï</title></rss>'.encode()
    decoded = to_utf8(data, "x.xml", charset="iso-8859-1")
    assert decoded.encoding == "utf-8" and "Ünï" in decoded.data.decode("utf-8")


def test_an_unknown_server_charset_is_a_note_and_the_file_decides():
    data = '<?xml version="1.0" encoding="koi8-r"?><rss><title>Совет</title></rss>'
    decoded = to_utf8(data.encode("koi8-r"), "x.xml", charset="x-nonsense")
    assert decoded.encoding == "koi8-r" and "Совет" in decoded.data.decode("utf-8")
    assert decoded.notes == ["x.xml: the server says 'x-nonsense', which is not known"]


# The web's reading of a label: the code page that extends it (WHATWG Encoding Standard).
AS_THE_WEB = [
    # (declared, codec the bytes are in, a title only the wider code page holds)
    ("ISO-8859-1", "cp1252", "\u201cSmile\u201d \u2014 it\u2019s heard"),  # Word's quotes
    ("us-ascii", "cp1252", "Caf\u00e9 \u2022 desk"),
    ("gb2312", "gbk", "朱镕基的客服"),  # 镕 is GBK's, not GB2312's
    ("Shift_JIS", "cp932", "①お客様対応"),  # NEC's circled digits, Windows' Shift_JIS
]


@pytest.mark.parametrize(("declared", "codec", "title"), AS_THE_WEB)
def test_a_label_is_read_as_the_web_reads_it(tmp_path, capsys, declared, codec, title):
    project = make_project(tmp_path)
    export = one_post_export(tmp_path, title=title, encoding=declared, codec=codec)
    assert run_import(project, str(export)) == 0
    assert front(project, TIP)["title"] == title  # no C1 control characters, no detection
    assert "note:" not in capsys.readouterr().err
