"""Deterministic synthetic archive of weekly tips, for benchmarks and tests.

``python scripts/corpus.py N OUT_DIR [--seed S]`` writes N tips to
``OUT_DIR/tips/YYYY/YYYY-MM-DD-slug.md`` plus ``OUT_DIR/tips/authors.yml``.

The archive imitates the real publication: one tip every Tuesday, the newest on
:data:`END_DATE`, 300-600 words of prose with ``##`` headings, a list, inline
links and some bold text, 1-4 tags drawn from about forty with a Zipf-like skew,
an author from a handful, and a ``<!-- more -->`` separator on about a fifth of
the tips.

Everything comes from ``random.Random(seed)``: never the global RNG, never the
clock, never the iteration order of a ``set`` (string hashing is salted per
process), so the same ``(n, seed)`` always yields byte-identical files.
:func:`write_corpus` returns the :class:`TipSpec` list so that ``bench.py`` can
convert the very same archive into each competitor's native format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path


def _comma_list(text: str) -> tuple[str, ...]:
    """Items of a comma-separated block (keeps long word lists readable)."""
    # Items may wrap across lines: normalise all whitespace to single spaces.
    return tuple(" ".join(item.split()) for item in text.split(",") if item.strip())


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a block."""
    return tuple(text.split())


#: The newest tip's date (a Tuesday); older tips go back one week at a time.
END_DATE = dt.date(2025, 12, 30)
MORE = "<!-- more -->"
WRAP_WIDTH = 88

AUTHORS: dict[str, dict[str, str]] = {
    "casey": {
        "name": "Casey Morgan",
        "bio": "Casey has trained contact-centre teams for twenty years and still takes calls.",
    },
    "jordan": {
        "name": "Jordan Blake",
        "bio": "Jordan writes about service design and the habits that bring customers back.",
    },
    "riley": {
        "name": "Riley Chen",
        "bio": "Riley coaches front-line managers on feedback, scheduling and calm under pressure.",
    },
    "sam": {
        "name": "Sam Okafor",
        "bio": "Sam runs a support desk for a regional retailer and collects complaint stories.",
    },
    "alex": {
        "name": "Alex Rivera",
        "bio": "Alex helps small firms turn service into a selling point.",
    },
}
#: Relative weights: one main author, a regular, and occasional guests.
AUTHOR_WEIGHTS = (50, 25, 12, 8, 5)

#: About forty tags, most frequent first; :func:`_zipf_weights` skews the draw.
TAGS = _comma_list(
    """
    training, phone skills, complaints, empathy, leadership, listening, email, hiring,
    teamwork, attitude, feedback, service recovery, motivation, retention, onboarding,
    coaching, social media, chat, language, upselling, loyalty, surveys, scheduling,
    burnout, metrics, self service, escalation, apologies, holiday season, small
    business, healthcare, retail, hospitality, call centers, voicemail, difficult
    customers, first impressions, follow up, knowledge base, remote work
    """
)

# The vocabulary is deliberately our own; sentences are assembled from templates
# so the prose has a realistic mix of word lengths and punctuation.
NOUNS = _words(
    """
    customer caller agent manager team promise question answer problem refund order
    ticket greeting voice message policy habit moment detail story review queue shift
    script apology invoice delivery return request solution tone relationship welcome
    follow-up complaint expectation visit conversation supervisor colleague frontline
    inbox survey schedule mistake guest client counter checklist routine
    """
)
VERBS = _comma_list(
    """
    greets, remembers, solves, explains, answers, confirms, thanks, notices, repeats,
    shares, welcomes, calms, listens to, follows, delivers, improves, protects, rewards,
    changes, builds, earns, handles, resolves, reviews, supports, values, respects,
    trusts
    """
)
ADJECTIVES = _words(
    """
    friendly patient clear honest quick careful warm simple polite upset loyal busy new
    small hidden extra calm personal positive confused difficult helpful silent early
    better whole local regular first last typical human
    """
)
ADVERBS = _words(
    """
    always often quietly gently clearly quickly rarely honestly really simply usually
    carefully never sometimes
    """
)
OPENERS = _comma_list(
    """
    In practice, Most of the time, On a busy day, Every week, Before long, In our
    experience, For example, Sooner or later, On the phone, At the counter, By the end
    of the shift, Over time, Even so
    """
)
TITLE_VERBS = _comma_list(
    """
    Highlight, Protect, Master, Rethink, Simplify, Celebrate, Answer, Welcome, Handle,
    Measure, Train, Keep, Find, Turn, Build, Earn, Fix, Listen to, Remember, Share
    """
)
TITLE_NOUNS = _words(
    """
    Value Voice Promise Greeting Complaint Customer Team Apology Follow-Up Question
    Moment Detail Habit Queue Script Inbox Survey Shift Welcome Story Refund Caller
    """
)
TITLE_ADJECTIVES = _words(
    """
    Hidden Angry First Last Quiet Loyal Simple Difficult Personal Small Busy Honest Warm
    Extra Human Missing
    """
)
HEADINGS = _comma_list(
    """
    Why it matters, What to do instead, Try this today, A quick example, The hidden
    cost, How to start, What customers notice, Common mistakes, Make it a habit, For
    managers, The bottom line, One more thing
    """
)
LINK_PATHS = _words(
    """
    training resources signup contact articles/listening articles/complaints
    tools/checklist podcast books workshops
    """
)


@dataclass(frozen=True)
class TipSpec:
    """One generated tip, independent of any generator's file format."""

    title: str
    date: dt.date
    tags: tuple[str, ...]
    author: str
    slug: str
    body: str  # Markdown body without front matter; may contain MORE.

    @property
    def relpath(self) -> Path:
        """Path of the tip file relative to ``OUT_DIR`` (``tips/YYYY/...``)."""
        return Path("tips", f"{self.date:%Y}", f"{self.date.isoformat()}-{self.slug}.md")

    @property
    def has_more(self) -> bool:
        """Whether the body has an explicit excerpt separator."""
        return MORE in self.body

    @property
    def first_paragraph(self) -> str:
        """The first paragraph as one line (what every generator can use as excerpt)."""
        return " ".join(self.body.split("\n\n", 1)[0].split())

    def to_markdown(self) -> str:
        """The tip file as tipweek reads it: YAML front matter, then the body."""
        return (
            "---\n"
            f"title: {self.title}\n"
            f"date: {self.date.isoformat()}\n"
            f"tags: [{', '.join(self.tags)}]\n"
            f"author: {self.author}\n"
            "---\n"
            f"{self.body}"
        )


def slugify(text: str) -> str:
    """ASCII lowercase words joined by hyphens, as tipweek slugs titles and tags."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


TAG_WEIGHTS = _zipf_weights(len(TAGS))


def tip_dates(n: int, end: dt.date = END_DATE) -> list[dt.date]:
    """N weekly dates, oldest first, the last one being ``end``."""
    return [end - dt.timedelta(weeks=n - 1 - i) for i in range(n)]


def _title_candidates() -> list[str]:
    """Every title the templates can make, in a fixed order, to shuffle per seed."""
    two_words = [f"{v} the {noun}" for v, noun in itertools.product(TITLE_VERBS, TITLE_NOUNS)]
    three_words = [
        f"{v} the {adj} {noun}"
        for v, adj, noun in itertools.product(TITLE_VERBS, TITLE_ADJECTIVES, TITLE_NOUNS)
    ]
    return two_words + three_words


def make_titles(rng: random.Random, n: int) -> list[str]:
    """N distinct titles (distinct slugs too); numbered sequels if templates run out."""
    pool = _title_candidates()
    rng.shuffle(pool)
    titles = pool[:n]
    part = 2
    while len(titles) < n:  # only past ~7,400 tips
        titles.extend(f"{t}, Part {part}" for t in pool[: n - len(titles)])
        part += 1
    return titles


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _base(verb: str) -> str:
    """``greets`` -> ``greet``, ``listens to`` -> ``listen to``."""
    first, _, rest = verb.partition(" ")
    return " ".join(filter(None, (first[:-1], rest)))


def _sentence(rng: random.Random) -> str:
    """One sentence of plausible service-advice prose."""
    noun, other = rng.choice(NOUNS), rng.choice(NOUNS)
    adj, verb, adverb = rng.choice(ADJECTIVES), rng.choice(VERBS), rng.choice(ADVERBS)
    end = "."
    pattern = rng.randrange(8)
    if pattern == 0:
        text = f"the {adj} {noun} {adverb} {verb} the {other}"
    elif pattern == 1:
        text = f"{rng.choice(OPENERS)}, {_article(adj)} {adj} {noun} {verb} every {other}"
    elif pattern == 2:
        text = f"when the {noun} is {adj}, the {other} {adverb} {verb} it"
    elif pattern == 3:
        text = f"a good {noun} {verb} the {adj} {other} and {rng.choice(VERBS)} the {noun}"
    elif pattern == 4:
        text, end = f"does your {noun} {_base(verb)} the {adj} {other}", "?"
    elif pattern == 5:
        text = f"{rng.choice(OPENERS)}, your {noun} {verb} the {adj} {other} {adverb}"
    elif pattern == 6:
        text = f"nobody forgets {_article(adj)} {adj} {noun}"
    else:
        text = f"if you {_base(verb)} the {noun}, the {other} will {_base(rng.choice(VERBS))} you"
    return text[0].upper() + text[1:] + end


def _link_words(rng: random.Random, words: list[str]) -> bool:
    """Turn a run of 1-3 words of one sentence into a Markdown link, in place."""
    for _ in range(20):  # a few tries: some runs cross a sentence end
        span = rng.randint(1, 3)
        i = rng.randrange(max(1, len(words) - span))
        run = words[i : i + span]
        inner_stop = any(c in w for w in run[:-1] for c in ".,?")
        decorated = any(c in w for w in run for c in "[*")
        if inner_stop or decorated or len(run) < span:
            continue
        last = run[-1]
        tail = last[len(last.rstrip(".,?")) :]
        text = " ".join(w.rstrip(".,?") for w in run)
        url = f"https://example.org/{rng.choice(LINK_PATHS)}/"
        words[i : i + span] = [f"[{text}]({url}){tail}"]
        return True
    return False


def _bold_words(rng: random.Random, words: list[str]) -> None:
    """Make two adjacent words of one sentence bold, in place."""
    for _ in range(20):
        i = rng.randrange(max(1, len(words) - 2))
        pair = words[i : i + 2]
        if len(pair) == 2 and not any(c in w for w in pair for c in "[]*.,?"):
            words[i : i + 2] = [f"**{pair[0]} {pair[1]}**"]
            return


def _paragraph(rng: random.Random, n_words: int, links: int = 0, bold: bool = False) -> str:
    words: list[str] = []
    while len(words) < n_words:
        words.extend(_sentence(rng).split())
    for _ in range(links):
        _link_words(rng, words)
    if bold:
        _bold_words(rng, words)
    return textwrap.fill(" ".join(words), WRAP_WIDTH, break_on_hyphens=False)


def _list_block(rng: random.Random) -> str:
    numbered = rng.random() < 0.4
    items = []
    for i in range(rng.randint(3, 6)):
        marker = f"{i + 1}." if numbered else "-"
        items.append(f"{marker} {_sentence(rng)}")
    return "\n".join(items)


def _word_count(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def make_body(rng: random.Random) -> str:
    """A 300-600 word body: intro, maybe MORE, 1-3 ``##`` sections, one list.

    Paragraph sizes are planned from a word target; sentences overshoot a
    paragraph by a few words, hence the target's margin below 600.
    """
    target = rng.randint(300, 570)
    n_sections = rng.randint(1, 3)
    list_section = rng.randrange(n_sections)
    link_count = rng.randint(1, 3)
    bold = rng.random() < 0.4
    # Which paragraphs get a link / the bold phrase: decided up front.
    n_paragraphs = [rng.randint(1, 2) for _ in range(n_sections)]
    total_paragraphs = 1 + sum(n_paragraphs)
    linked = set(rng.sample(range(total_paragraphs), min(link_count, total_paragraphs)))
    bold_at = rng.randrange(total_paragraphs) if bold else -1

    blocks = [_paragraph(rng, rng.randint(35, 70), links=int(0 in linked), bold=bold_at == 0)]
    if rng.random() < 0.2:
        blocks.append(MORE)
    index = 1
    for section, heading in enumerate(rng.sample(HEADINGS, n_sections)):
        blocks.append(f"## {heading}")
        if section == list_section:
            blocks.append(_list_block(rng))
        for _ in range(n_paragraphs[section]):
            remaining = total_paragraphs - index
            budget = max(25, (target - _word_count(blocks)) // max(1, remaining))
            blocks.append(
                _paragraph(rng, budget, links=int(index in linked), bold=bold_at == index)
            )
            index += 1
    return "\n\n".join(blocks) + "\n"


def make_tags(rng: random.Random) -> tuple[str, ...]:
    """1-4 distinct tags, weighted so a few tags hold most tips."""
    count = rng.choices((1, 2, 3, 4), weights=(30, 35, 25, 10))[0]
    chosen: list[str] = []
    while len(chosen) < count:
        tag = rng.choices(TAGS, weights=TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return tuple(chosen)


def make_corpus(n: int, seed: int = 1, one_tag: str | None = None) -> list[TipSpec]:
    """N tips, oldest first, fully determined by ``(n, seed, one_tag)``.

    With `one_tag`, every tip carries that tag and no other (the worst case for
    tag pages and related tips); the tags are still drawn, so titles and bodies
    are the same as without it.
    """
    rng = random.Random(seed)
    titles = make_titles(rng, n)
    authors = list(AUTHORS)
    specs = []
    for date, title in zip(tip_dates(n), titles, strict=True):
        drawn = make_tags(rng)
        specs.append(
            TipSpec(
                title=title,
                date=date,
                tags=(one_tag,) if one_tag else drawn,
                author=rng.choices(authors, weights=AUTHOR_WEIGHTS)[0],
                slug=slugify(title),
                body=make_body(rng),
            )
        )
    return specs


def authors_yaml() -> str:
    """``tips/authors.yml``: ``key: {name: ..., bio: ...}`` per author."""
    lines = []
    for key, info in AUTHORS.items():
        lines += [f"{key}:", f"  name: {info['name']}", f"  bio: {info['bio']}"]
    return "\n".join(lines) + "\n"


def write_corpus(n: int, out: Path, seed: int = 1, one_tag: str | None = None) -> list[TipSpec]:
    """Write N tips and ``authors.yml`` under ``out/tips/``; return their specs."""
    specs = make_corpus(n, seed, one_tag)
    tips_dir = out / "tips"
    tips_dir.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        path = out / spec.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec.to_markdown(), encoding="utf-8")
    (tips_dir / "authors.yml").write_text(authors_yaml(), encoding="utf-8")
    return specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of tips")
    parser.add_argument("out", type=Path, help="output directory (tips/ is created in it)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--one-tag",
        metavar="TAG",
        help="give every tip this one tag instead of the usual spread (same titles and bodies)",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    specs = write_corpus(args.n, args.out, args.seed, args.one_tag)
    print(f"wrote {len(specs)} tips to {args.out / 'tips'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
