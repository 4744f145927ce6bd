"""The package's folders are its layers; these tests keep the imports between them honest.

- `tipweek/core/`, `tipweek/cache/`, `tipweek/cli/`, `tipweek/email/` and `tipweek/importer/` never import
  MkDocs, Jinja, Material or Markdown: the core can be tested alone and carried to
  another engine, and the CLI starts fast.  One exception: the importer renders each
  converted body with Python-Markdown to prove it inert (`importer/inert.py`).
- The core imports no other layer; the caches only the core; the email edition only
  the core (the plugin and the CLI both make it).
- `tipweek/plugin.py`, MkDocs' entry point, is the one module above the layers: it
  wires the MkDocs stages (`mkdocs/`) and the speed mechanisms (`speed/`) to MkDocs'
  events, and nothing imports it.  The speed mechanisms use the MkDocs stages, never
  the other way round: with `speed/` deleted, `mkdocs/` still imports.
- Private MkDocs and Material names are reached only from `tipweek/mkdocs/compat.py`.
- What the operating system provides is asked of `tipweek/system/` alone, which imports
  no other layer: nothing else imports ctypes, fcntl or msvcrt, or asks which system
  it runs on; the core does not fork.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tipweek"
ENGINE = ("mkdocs", "jinja2", "material", "markdown", "markupsafe")
# Which of tipweek's own layers each layer may import.
ALLOWED = {
    "system": {"system"},
    "core": {"core"},
    "cache": {"core", "cache", "system"},
    "cli": {"core", "cli", "importer", "speed", "system", "email"},
    "email": {"core", "email"},
    "importer": {"core", "importer", "system"},
    "mkdocs": {"core", "cache", "mkdocs", "system", "email"},
    "speed": {"core", "cache", "mkdocs", "speed", "system"},
}
#: Modules and `module.name`s only tipweek/system/ uses (and `os.fork` only outside the core).
SYSTEM_MODULES = ("ctypes", "fcntl", "msvcrt", "multiprocessing", "filelock", "_winapi")
SYSTEM_NAMES = ("sys.platform", "os.name", "os.sched_getaffinity", "os.cpu_count", "platform")


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def imported_names(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (absolute names), with its line."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
            names += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    found = []
    for path in modules(layer):
        for line, name in imported_names(path):
            parts = name.split(".")
            where = f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
            proves_inert = path.name == "inert.py" and parts[0] == "markdown"
            if layer not in ("mkdocs", "speed") and parts[0] in ENGINE and not proves_inert:
                found.append(where)
            other_layer = parts[0] == "tipweek" and len(parts) > 1 and parts[1] in ALLOWED
            if other_layer and parts[1] not in ALLOWED[layer]:
                found.append(where)
    assert found == []


def test_every_layer_is_a_folder_and_the_top_holds_the_face_and_the_plugin() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "plugin.py"]
    assert set(ALLOWED) <= {path.name for path in PACKAGE.iterdir() if path.is_dir()}


def test_nothing_imports_the_plugin() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
        for path in PACKAGE.rglob("*.py")
        for line, name in imported_names(path)
        if name == "tipweek.plugin" or name.startswith("tipweek.plugin.")
    ]
    assert found == []


def own_private_names() -> set[str]:
    """`_names` tipweek defines itself: its functions and methods, and attributes it sets."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.startswith("_"):
                names.add(node.name)
            stored = isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
            if stored and (
                node.attr.startswith("_tipweek")
                or (isinstance(node.value, ast.Name) and node.value.id == "self")
            ):
                names.add(node.attr)
    return names


def test_private_mkdocs_and_material_names_only_in_compat() -> None:
    own = own_private_names()
    found = []
    for path in [*modules("mkdocs"), *modules("speed"), PACKAGE / "plugin.py"]:
        if path.name == "compat.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ENGINE:
                found += [
                    f"{path.name}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in own
                and not (
                    isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "os")
                )
            ):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert found == []


def dotted(node: ast.Attribute) -> str:
    return f"{node.value.id}.{node.attr}" if isinstance(node.value, ast.Name) else ""


@pytest.mark.parametrize("layer", sorted(set(ALLOWED) - {"system"}))
def test_only_the_system_layer_asks_the_operating_system(layer: str) -> None:
    found = []
    for path in modules(layer):
        where = path.relative_to(PACKAGE.parent)
        for line, name in imported_names(path):
            if name.split(".")[0] in SYSTEM_MODULES or name == "platform":
                found.append(f"{where}:{line}: import {name}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                name = dotted(node)
                if name in SYSTEM_NAMES or (layer == "core" and name == "os.fork"):
                    found.append(f"{where}:{node.lineno}: {name}")
    assert found == []
