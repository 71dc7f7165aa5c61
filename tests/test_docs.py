"""The README against the code, and the layering the code promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from crawler.commands import cli
from storage import TABLES
from storage.write.archive import Archive

from .helpers import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def readme_schema() -> dict[str, set[str]]:
    """Table name → the columns the README's archive table lists for it
    (backticked names outside parentheses, which hold values and notes)."""
    found = {}
    for line in section("The archive").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (name := re.fullmatch(r"(?:view )?`(\w+)`", cells[0])):
            columns = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", "", cells[2])
            found[name.group(1)] = set(re.findall(r"`(\w+)`", columns))
    return found


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict[str, set[str]]:
    with Archive.open(tmp_path_factory.mktemp("schema") / "a.db") as archive:
        db = archive.db
        return {
            name: {column.name for column in (db.view(name) if name in db.view_names() else db.table(name)).columns}
            for name in (*db.table_names(), *db.view_names())
            if not re.search(r"_fts(_|$)|^_", name)
        }


def test_the_readme_lists_every_table_and_column(schema):
    assert readme_schema() == schema


def test_every_public_table_is_described_for_datasette(schema):
    assert set(TABLES) == set(schema)


def test_the_readme_lists_every_command_and_option():
    usage = section("Command line")
    listed = set(re.findall(r"^presswatch (\w+)", usage, re.M))
    assert listed == set(cli.commands)
    for name, command in cli.commands.items():
        lines = usage.splitlines()
        start = next(n for n, line in enumerate(lines) if line.startswith(f"presswatch {name} "))
        end = next((n for n in range(start + 1, len(lines)) if not lines[n].startswith(" ")), len(lines))
        line = " ".join(lines[start:end])
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option not in ("--json", "--csv"):
                    assert option in line, f"README's line for {name} does not mention {option}"


def imports(folder: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path, node.module))
    return found


def test_storage_imports_neither_scrapy_nor_the_crawler():
    assert [(p.name, m) for p, m in imports("storage") if m.split(".")[0] in ("scrapy", "crawler", "twisted")] == []


@pytest.mark.parametrize("folder", ["crawler", "bench"])
def test_only_storage_s_public_interface_is_used(folder):
    inside = [(str(p.relative_to(ROOT)), m) for p, m in imports(folder) if m.startswith("storage.")]
    assert inside == []
    raw = [
        str(p.relative_to(ROOT))
        for p in (ROOT / folder).rglob("*.py")
        if re.search(r"\.(conn|_archive)\b|\barchive\.db[.\[]", p.read_text("utf-8"))
    ]
    assert raw == []


def test_where_things_live_names_every_package():
    """README's "Where things live" table names every package folder (below
    the design card's top level, crawler/ and storage/), and only real ones."""
    table = README.split("\nWhere things live", 1)[1].split("\n\n", 2)[1]
    named = set(re.findall(r"`((?:crawler|storage|bench)(?:/\w+)*)/`", table))
    packages = {
        str(p.parent.relative_to(ROOT))
        for top in ("crawler", "storage", "bench")
        for p in (ROOT / top).rglob("__init__.py")
    } - {"crawler", "storage"}
    assert packages - named == set(), "a package folder is missing from README's table"
    assert {name for name in named if not (ROOT / name).is_dir()} == set()
