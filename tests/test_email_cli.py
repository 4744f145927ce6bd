"""`tipweek email`: the message it writes, parsed back, and a real SMTP server receiving it.

The server is aiosmtpd on 127.0.0.1 (a free port); what it receives is parsed
with Python's `email` package, as a mail client would read it.
"""

from __future__ import annotations

import email
import re
import shutil
import socket
import ssl
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from bs4 import BeautifulSoup
from conftest import DEFAULT_EPOCH, run_cli

TITLE = "Ça va ? « Merci » — 日本語 too"
EMAIL = {
    "provider": "custom",
    "unsubscribe": "https://lists.example.org/leave",
    "from_address": "Tipsé Desk <tips@example.org>",
    "postal_address": "1 Main Street\nSpringfield",
}


@pytest.fixture
def publication(make_site, monkeypatch):
    """A site with `email:` set, a tip live on 2025-07-01 and "now" at 2026-01-01."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)

    def configure(email_options: dict | None = None, **plugin: object) -> None:
        options = {"email": email_options or EMAIL, **plugin} if email_options != {} else plugin
        config = {
            "site_name": "Tip Site",
            "site_url": "https://example.org/tips/",
            "theme": {"name": "material", "language": "fr"},
            "plugins": [{"tipweek": options}],
        }
        make_site.write("mkdocs.yml", yaml.safe_dump(config, allow_unicode=True))

    configure()
    make_site.add_tip(
        TITLE,
        "2025-07-01",
        "Dites **merci**. See [the list](/about/).",
        tags=["Politesse"],
        file_slug="merci",
    )
    make_site.configure = configure
    return make_site


def read_eml(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def assert_is_the_edition(message: EmailMessage) -> None:
    assert message["Subject"] == TITLE
    assert message["From"].addresses[0].display_name == "Tipsé Desk"
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in parts)
    text, html = (part.get_content() for part in parts)
    assert TITLE in text and "Dites merci. See the list <https://example.org/tips/about/>." in text
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one("h1.title").get_text() == TITLE
    assert soup.html["lang"] == "fr"
    assert soup.select_one(".body a")["href"] == "https://example.org/tips/about/"


def test_out_writes_a_multipart_message_text_then_html_with_encoded_headers(publication, capsys):
    code, out, err = run_cli(capsys, "email", "2025-07-01", "--out", "tip.eml")
    assert (code, err) == (0, "")
    assert out == f"wrote {TITLE!r} to tip.eml\n"
    raw = (publication.root / "tip.eml").read_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert headers.isascii()  # RFC 5322: non-ASCII travels as encoded words
    assert b"=?utf-8?" in headers
    message = read_eml(publication.root / "tip.eml")
    assert_is_the_edition(message)
    assert message["List-Unsubscribe"] == "<https://lists.example.org/leave>"
    # Dated when written ("now" is 2026-01-01 here), not on the tip's day.
    assert message["Date"].datetime.date().isoformat() == "2026-01-01"


def test_a_merge_tag_provider_gets_no_list_unsubscribe_header(publication, capsys):
    publication.configure({**EMAIL, "provider": "mailchimp"})
    code, _, _ = run_cli(capsys, "email", "2025-07-01", "--out", "tip.eml")
    message = read_eml(publication.root / "tip.eml")
    assert code == 0 and message["List-Unsubscribe"] is None
    html = message.get_body(("html",)).get_content()
    footer = BeautifulSoup(html, "lxml").select_one(".footer")
    assert footer.find("a", string="Unsubscribe")["href"] == "*|UNSUB|*"


def test_without_out_or_send_the_message_goes_to_stdout(publication, capsys):
    code, out, _ = run_cli(capsys, "email", "2025-07-01")
    assert code == 0
    assert_is_the_edition(email.message_from_string(out, policy=policy.default))


def test_no_tip_that_day_is_one_line_and_exit_1(publication, capsys):
    assert run_cli(capsys, "email", "2025-07-02") == (
        1,
        "",
        "tipweek email: no tip is dated 2025-07-02\n",
    )
    # Default: today, 2026-01-01 here, which has no tip either.
    assert run_cli(capsys, "email")[2] == "tipweek email: no tip is dated 2026-01-01\n"


def test_a_draft_is_refused_by_name(publication, capsys):
    publication.add_tip("Not Ready", "2025-07-08", "Soon.", draft=True)
    code, out, err = run_cli(capsys, "email", "2025-07-08", "--out", "draft.eml")
    assert (code, out) == (1, "")
    assert err == (
        "tipweek email: 'Not Ready' (tips/2025/2025-07-08-not-ready.md) is a draft: "
        "remove 'draft: true' to send it\n"
    )
    assert not (publication.root / "draft.eml").exists()


def test_a_scheduled_tip_is_written_and_says_so(publication, capsys):
    publication.add_tip("Next Year", "2026-01-06", "Later.")
    code, out, err = run_cli(capsys, "email", "2026-01-06", "--out", "next.eml")
    assert code == 0 and out == "wrote 'Next Year' to next.eml\n"
    assert "'Next Year' is scheduled for 2026-01-06" in err
    assert read_eml(publication.root / "next.eml")["Subject"] == "Next Year"


def test_without_email_settings_it_says_what_to_set(publication, capsys):
    publication.configure({})
    code, out, err = run_cli(capsys, "email", "2025-07-01")
    assert (code, out) == (1, "")
    assert err.startswith("mkdocs.yml:1: error: tipweek email needs the tipweek option 'email'")


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        (
            {"from_address": "nobody"},
            "from_address",
            "'email.from_address' must be an email address",
        ),
        ({"accent_color": "teal"}, "accent_color", "'email.accent_color' must be a hex colour"),
        ({"provider": "mailgun"}, "provider", "'email.provider' must be one of: mailchimp,"),
        ({"provider": "custom", "unsubscribe": ""}, "email", "'email' needs 'unsubscribe'"),
        ({"smtp": "http://x"}, "smtp", "'email.smtp' must be smtp://host:port"),
        # A missing one: at the line of the group that lacks it.
        ({"postal_address": None}, "email", "'email.postal_address' is required"),
    ],
)
def test_check_reports_a_bad_email_option_at_its_line(publication, capsys, options, key, message):
    given = {**EMAIL, "provider": "mailchimp", **options}
    publication.configure({key: value for key, value in given.items() if value is not None})
    code, _, err = run_cli(capsys, "check")
    assert code == 1
    lines = (publication.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    first = err.splitlines()[0]
    where, _, text = first.partition(": error: ")
    assert text.startswith(f"tipweek option {message}"), first
    number = int(where.split(":")[1])
    assert lines[number - 1].strip().startswith(f"{key}:"), (lines, first)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.received.append(
            (list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        )
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")


@pytest.fixture
def smtp_server():
    started = []

    def start(**options: object) -> tuple[Inbox, int]:
        inbox, port = Inbox(), free_port()
        controller = Controller(
            inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate, **options
        )
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for controller in started:
        controller.stop()


def test_send_delivers_the_message_to_a_real_smtp_server(publication, capsys, smtp_server):
    inbox, port = smtp_server(auth_require_tls=False)
    code, out, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "ed@example.org", "Zoë <zoe@example.org>",
        "--smtp", f"smtp://127.0.0.1:{port}",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert (
        out == f"sent {TITLE!r} to ed@example.org, Zoë <zoe@example.org> through 127.0.0.1:{port}\n"
    )
    [(recipients, data)] = inbox.received
    assert recipients == ["ed@example.org", "zoe@example.org"]
    message = email.message_from_bytes(data, policy=policy.default)
    assert_is_the_edition(message)
    assert [a.addr_spec for a in message["To"].addresses] == ["ed@example.org", "zoe@example.org"]
    assert message["List-Unsubscribe"] == "<https://lists.example.org/leave>"


def test_the_password_comes_from_the_named_environment_variable(
    publication, capsys, smtp_server, monkeypatch
):
    publication.configure({**EMAIL, "password_env": "TIP_MAIL_PASSWORD"})
    inbox, port = smtp_server(auth_require_tls=False)
    monkeypatch.setenv("TIP_MAIL_PASSWORD", "s3cret")
    url = f"smtp://editor@127.0.0.1:{port}"
    code, _, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "a@example.org", "--smtp", url
    )
    assert (code, err) == (0, "")
    assert inbox.logins == [("editor", "s3cret")] and len(inbox.received) == 1
    monkeypatch.setenv("TIP_MAIL_PASSWORD", "wrong")
    code, out, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "a@example.org", "--smtp", url
    )
    assert (code, out) == (1, "")
    assert err.startswith(f"tipweek email: error: not sent: 127.0.0.1:{port}: ")
    assert len(inbox.received) == 1


def test_a_password_in_the_smtp_url_is_refused(publication, capsys):
    code, _, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "a@example.org",
        "--smtp", "smtp://ed:pw@127.0.0.1:25",
    )  # fmt: skip
    assert code == 2 and "must not hold a password" in err


def test_starttls_when_required_and_not_offered_sends_nothing(publication, capsys, smtp_server):
    inbox, port = smtp_server(auth_require_tls=False)
    url = f"smtp+starttls://127.0.0.1:{port}"
    code, _, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "a@example.org", "--smtp", url
    )
    assert code == 1
    assert err == f"tipweek email: error: not sent: 127.0.0.1:{port} does not offer STARTTLS\n"
    assert inbox.received == []


@pytest.fixture
def certificate(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, trusted by the client through SSL_CERT_FILE."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
         "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


def test_starttls_is_used_when_offered_before_logging_in(
    publication, capsys, smtp_server, certificate, monkeypatch
):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    # The server refuses a login before STARTTLS: the password never travels in clear.
    inbox, port = smtp_server(tls_context=context, auth_require_tls=True)
    monkeypatch.setenv("TIPWEEK_SMTP_PASSWORD", "s3cret")
    url = f"smtp://editor@127.0.0.1:{port}"
    code, _, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "a@example.org", "--smtp", url
    )
    assert (code, err) == (0, "")
    assert inbox.logins == [("editor", "s3cret")]
    assert_is_the_edition(email.message_from_bytes(inbox.received[0][1], policy=policy.default))


def test_send_needs_recipients_and_they_must_be_addresses(publication, capsys):
    assert run_cli(capsys, "email", "2025-07-01", "--send")[0] == 2
    code, _, err = run_cli(
        capsys, "email", "2025-07-01", "--send", "--to", "nobody", "--smtp", "smtp://h:25"
    )
    assert code == 2 and "'nobody' is not an email address" in err


def test_the_email_command_keeps_markdown_and_mkdocs_out_of_tipweek_check():
    code = (
        "import sys, tipweek.cli.main; "
        "assert not {'markdown', 'mkdocs', 'css_inline', 'nh3'} & set(sys.modules), sorted(sys.modules)"
    )
    import sys

    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_email_settings_tipweek_init_writes_commented_are_valid_once_uncommented():
    from tipweek.core.options import validate_options

    template = Path(__file__).resolve().parent.parent / "tipweek/cli/starter/mkdocs.yml.tmpl"
    lines = template.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip().startswith("# email:"))
    block = []
    for line in lines[start:]:
        if not line.strip().startswith("#"):
            break
        text = line.strip()[1:]
        if text.strip().startswith("#"):  # a comment's continuation line
            continue
        block.append(re.sub(r"\s+#.*$", "", text[1:] if text.startswith(" ") else text))
    given = yaml.safe_load("\n".join(block))
    assert set(given["email"]) >= {"provider", "from_address", "postal_address", "smtp"}
    values, errors, warnings = validate_options(given)
    assert (errors, warnings) == ([], [])
    assert values["email"]["provider"] == "mailchimp"


def test_check_refuses_an_alias_over_an_edition_or_the_email_feed(publication, capsys):
    publication.add_tip(
        "Old Post",
        "2025-07-08",
        "Moved here.",
        aliases=["/2025/07/01/merci/email.html", "/email.xml"],
    )
    code, _, err = run_cli(capsys, "check")
    assert code == 1
    problems = [line for line in err.splitlines() if "2025-07-08-old-post.md" in line]
    assert len(problems) == 2, err
    assert "the email edition of" in problems[0] + problems[1]
    assert "the email feed" in problems[0] + problems[1]


def test_an_out_file_that_cannot_be_written_is_one_line_not_a_traceback(publication, capsys):
    code, out, err = run_cli(capsys, "email", "2025-07-01", "--out", "no/such/folder/tip.eml")
    assert (code, out) == (1, "")
    assert err == "tipweek email: error: cannot write no/such/folder/tip.eml: No such file or directory\n"
