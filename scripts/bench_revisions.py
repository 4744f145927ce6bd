"""Other commits of tipweek in the same run (``--tipweek-at``), and whole-site comparison.

:func:`revision_env` exports a commit with ``git archive`` and installs it into a
virtual environment of its own, every other distribution pinned to its version
here (:func:`constraints`); :func:`revision_variant` makes it a tool column,
``tipweek@<sha>``. :func:`site_identity` compares every tipweek-family column's
site after its clean builds, byte for byte (``bench_trees.compare_trees``).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench_layouts import layout_tipweek_lunr, mkdocs_build
from bench_measure import REPO, environment, log, new_venv, quiet
from bench_tools import TOOLS, Tool
from bench_trees import compare_trees

if TYPE_CHECKING:
    from bench_measure import ToolResult
    from bench_scenarios import Context


REVISION_PREFIX = "tipweek@"
#: Distributions of the running environment that a revision's environment does not pin:
#: tipweek is the revision's own, and venv brings its own pip.
UNPINNED = frozenset({"tipweek", "pip"})


@dataclass(frozen=True)
class Revision:
    """A commit of this repository, as given on the command line and as resolved."""

    given: str
    sha: str
    short: str

    @property
    def column(self) -> str:
        return REVISION_PREFIX + self.short


def resolve_revision(given: str) -> Revision:
    """The commit `given` names in this repository; ValueError if none."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ValueError(f"{given!r} is not a commit of {REPO}")
        return done.stdout.strip()

    sha = git("rev-parse", "--verify", "--quiet", f"{given}^{{commit}}")
    return Revision(given, sha, git("rev-parse", "--short=7", sha))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """Every distribution the running interpreter sees, by canonical name (the first
    found on sys.path wins, as it does for imports)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(_canonical(name), dist.version)
    return found


def constraints(versions: dict[str, str]) -> list[str]:
    """pip constraints pinning every distribution to `versions` (but tipweek and pip), so
    another commit's tipweek runs on exactly the libraries of this environment."""
    return [
        f"{name}=={version}"
        for name, version in sorted(versions.items())
        if name not in UNPINNED and re.fullmatch(r"[0-9][0-9A-Za-z.+!_-]*", version)
    ]


def version_drift(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """How an environment's distributions (`theirs`) differ from the running one's."""
    drift = []
    for name, version in sorted(theirs.items()):
        if name in UNPINNED or name == "setuptools":  # venv's own, not the revision's
            continue
        if name not in mine:
            drift.append(f"{name} {version} (not in the running environment, unpinned)")
        elif mine[name] != version:
            drift.append(f"{name} {version} (running environment: {mine[name]})")
    return drift


VERSIONS_SCRIPT = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
)


def revision_env(work: Path, revision: Revision) -> Path:
    """``WORK/tipweek-at/<short>/``: the revision's tree and an environment running it.

    ``src/`` is the commit's tree from ``git archive`` (never a checkout of the working
    tree); ``venv/`` a virtual environment without the system's site-packages, with
    ``src`` installed (not editable; with the ``pagefind`` extra where the commit
    declares it, so it can build its sample site) under ``constraints.txt``: every other
    distribution at its version in this environment. Made once per work folder and
    revision, like :func:`bench_scenarios.hook_venv`; not timed.
    """
    home = work / "tipweek-at" / revision.short
    installed = home / "installed"  # written last: a half-made environment is made again
    if installed.exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    (home / "src").mkdir(parents=True)
    quiet(["git", "-C", str(REPO), "archive", "-o", str(home / "src.tar"), revision.sha])
    quiet(["tar", "-xf", str(home / "src.tar"), "-C", str(home / "src")])
    (home / "src.tar").unlink()
    pins = home / "constraints.txt"
    pins.write_text("\n".join(constraints(installed_versions())) + "\n", encoding="utf-8")
    if not (home / "src" / "pyproject.toml").is_file():
        raise RuntimeError(f"{revision.short} has no pyproject.toml: no tipweek to install")
    pyproject = (home / "src" / "pyproject.toml").read_text(encoding="utf-8")
    extra = "[pagefind]" if re.search(r"^pagefind\s*=", pyproject, re.MULTILINE) else ""
    python = new_venv(home / "venv", "-c", str(pins), f"{home / 'src'}{extra}")
    versions = subprocess.run(
        [str(python), "-c", VERSIONS_SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    (home / "versions.json").write_text(versions, encoding="utf-8")
    installed.write_text(revision.sha + "\n", encoding="utf-8")
    return home


def revision_variant(revision: Revision, home: Path) -> Tool:
    """tipweek at `revision`, from its environment: a tool column of its own."""
    python = str(home / "venv" / "bin" / "python")
    # `tipweek check` came with the CLI, `python -m tipweek` later: an older commit lacks
    # them. Asked from `home`, where no tipweek folder shadows the installed one.
    probes = {
        "tipweek-check": ([python, "-m", "tipweek"], "`python -m tipweek check`"),
        "check-hook": ([str(home / "venv" / "bin" / "tipweek")], "`tipweek check` script"),
    }
    unavailable = []
    for scenario, (command, what) in probes.items():
        try:
            probe = subprocess.run(
                [*command, "check", "--help"],
                capture_output=True,
                cwd=home,
                env=environment([("PYTHONPATH", None)]),
                check=False,
            )
            missing = probe.returncode != 0
        except OSError:
            missing = True
        if missing:
            unavailable.append((scenario, f"{revision.column} has no {what}"))
    return replace(
        TOOLS["tipweek"],
        name=revision.column,
        summary=f"tipweek at {revision.sha} ({revision.given}), from {home / 'venv'}",
        command=functools.partial(mkdocs_build, python=python),
        # PYTHONPATH would put the working tree's tipweek before the revision's own.
        env=(("PYTHONPATH", None),),
        family="tipweek",
        python=python,
        unavailable=tuple(unavailable),
    )


def revision_drift(home: Path) -> list[str]:
    """The revision environment's distributions whose versions differ from this one's."""
    theirs = json.loads((home / "versions.json").read_text(encoding="utf-8"))
    return version_drift(installed_versions(), {_canonical(k): v for k, v in theirs.items()})


def prepare_revisions(
    work: Path, revisions: list[Revision]
) -> tuple[dict[str, Tool], dict[str, str], dict[str, list[str]]]:
    """Each revision's tool column, or why it has none; and each one's version drift."""
    tools: dict[str, Tool] = {}
    broken: dict[str, str] = {}
    drift: dict[str, list[str]] = {}
    for revision in revisions:
        log(f"== {revision.column}: environment in {work / 'tipweek-at' / revision.short}")
        try:
            home = revision_env(work, revision)
            drift[revision.column] = revision_drift(home)
        except (OSError, RuntimeError, subprocess.CalledProcessError, ValueError) as exc:
            broken[revision.column] = f"cannot make its environment: {exc}"
            tools[revision.column] = replace(
                TOOLS["tipweek"], name=revision.column, family="tipweek"
            )
            log(f"   {broken[revision.column]}")
            continue
        tools[revision.column] = revision_variant(revision, home)
    return tools, broken, drift


def site_identity(live: list[Context], results: dict[str, ToolResult]) -> None:
    """Each tipweek-family column's site after its last clean build, against the
    reference's: the first ``--tipweek-at`` revision if any, else the first column."""
    # The lunr column builds another site (Material's search index instead of Pagefind's).
    family = [
        c
        for c in live
        if c.tool.scenarios_of == "tipweek"
        and c.tool.layout is not layout_tipweek_lunr
        and results[c.tool.name].clean.ok
    ]
    if len(family) < 2:
        return
    revisions = [c for c in family if c.tool.name.startswith(REVISION_PREFIX)]
    reference = (revisions or family)[0]
    site = Path(reference.expected.feed).parts[0]
    for ctx in family:
        if ctx is not reference:
            results[ctx.tool.name].identity = compare_trees(
                reference.tool.name, ctx.project / site, reference.project / site
            )
