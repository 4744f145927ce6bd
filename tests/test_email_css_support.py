"""The email edition's CSS, checked against caniemail's client-support data.

caniemail.com tests each CSS feature in each mail client; its data set is on
npm, pinned in `.ci/caniemail/` (`npm ci` there, as `.ci/run` does).  Every
property and @-rule the edition uses must work in Gmail, Outlook and Apple
Mail on every platform the data lists for them (partial support counts), or
be in `ENHANCEMENTS` below with what a client without it shows instead.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_email_edition import make_view

from tipweek.email.html_edition import edition_html

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".ci" / "caniemail" / "node_modules" / "caniemail" / "data" / "caniemail.json"
FAMILIES = ("gmail", "outlook", "apple-mail")

# Progressive enhancements: each used knowing who ignores it, and what they show instead.
ENHANCEMENTS = {
    # The preheader is hidden four ways; a client that shows it shows the summary twice.
    "css-display-none": "Gmail's mobile web view: the preheader's other rules still hide it",
    "css-max-height": "Outlook for Windows: mso-hide hides the preheader there",
    "css-overflow": "Outlook for Windows: mso-hide hides the preheader there",
    "css-border-radius": "Outlook for Windows: square buttons",
    "css-white-space": "Outlook for Windows: a long code line is not wrapped",
    "css-word-break": "Windows Mail: a long address may widen the column",
    "css-at-media-prefers-color-scheme": "Gmail, Outlook: their own dark mode, over colours "
    "that each have their background",
    "css-at-media": "no phone padding: the column is fluid anyway",
}
# Not in the data set: CSS 1, or Outlook's own (ignored by everyone else).
NOT_IN_THE_DATA = {"color", "font-family", "mso-hide"}


@cache
def support_data() -> dict[str, dict]:
    if not DATA.is_file():
        message = "caniemail's data is missing; run: (cd .ci/caniemail && npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {feature["slug"]: feature for feature in data["data"]}


def declarations(css: str) -> list[tuple[str, str]]:
    found = []
    for part in css.split(";"):
        name, _, value = part.partition(":")
        if name.strip() and value.strip():
            found.append((name.strip().lower(), value.strip()))
    return found


def used_features() -> dict[str, str]:
    """caniemail slug → an example of its use, for everything the edition's CSS uses."""
    soup = BeautifulSoup(edition_html(make_view()).document, "lxml")
    used: list[tuple[str, str]] = []
    for element in soup.find_all(style=True):
        used += declarations(element["style"])
    [style] = soup.find_all("style")
    at_rules = re.findall(r"@media\s*\(([a-z-]+)", style.string)
    inside = re.sub(r"@media[^{]*\{", "", style.string)
    for block in re.findall(r"\{([^{}]*)\}", inside):
        used += declarations(block)
    features = {}
    for name, value in used:
        features[slug(name, value)] = f"{name}: {value}"
        if "!important" in value:
            features["css-important"] = f"{name}: {value}"
    for feature in at_rules:
        media = f"css-at-media-{feature}"
        features[media if media in support_data() else "css-at-media"] = f"@media ({feature})"
    return features


def slug(name: str, value: str) -> str:
    if name in NOT_IN_THE_DATA:
        return name
    if name == "display" and value.startswith("none"):
        return "css-display-none"
    known = support_data()
    if f"css-{name}" in known:
        return f"css-{name}"
    shorthand = re.sub(r"-(top|right|bottom|left)$", "", name)
    return f"css-{shorthand}"


def unsupported(feature: dict) -> list[str]:
    """`family/platform: result` wherever the newest test of the feature failed."""
    found = []
    for family in FAMILIES:
        for platform, results in feature["stats"].get(family, {}).items():
            newest = list(results.values())[-1]
            if not newest.startswith(("y", "a")):
                found.append(f"{family}/{platform}: {newest}")
    return found


def test_the_support_data_is_caniemails():
    data = support_data()
    assert len(data) > 200
    assert unsupported(data["css-background-color"]) == []
    assert "outlook/windows: n" in " ".join(unsupported(data["css-display-flex"]))


def test_every_css_feature_the_edition_uses_works_in_gmail_outlook_and_apple_mail():
    features = used_features()
    assert {"css-background-color", "css-padding", "css-max-width"} <= set(features)
    data = support_data()
    problems = []
    for name, example in sorted(features.items()):
        if name in NOT_IN_THE_DATA or name in ENHANCEMENTS:
            continue
        if name not in data:
            problems.append(f"{example}: not in caniemail's data (add it to NOT_IN_THE_DATA?)")
            continue
        failing = unsupported(data[name])
        if failing:
            problems.append(f"{example} ({name}) fails in {', '.join(failing)}")
    assert problems == []


def test_the_allow_lists_hold_only_what_is_used_and_is_really_unsupported():
    features = used_features()
    assert set(ENHANCEMENTS) <= set(features)
    data = support_data()
    for name in ENHANCEMENTS:
        assert unsupported(data[name]), f"{name} works everywhere: take it off ENHANCEMENTS"
    for name in NOT_IN_THE_DATA:
        assert f"css-{name}" not in data
