"""The import graph of crawler/ and storage/, read from the source (ast):
no circles, and a crawl policy that never needs Scrapy."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from .helpers import ROOT

# An import that runs inside a function, made so to break a circle at import
# time: still a circle of the design.  Listed here until it is undone; the
# test below fails once it is, so that this list only shrinks.
DEFERRED_CIRCLES: set[tuple[str, str]] = set()


def modules() -> dict[str, Path]:
    found = {}
    for package in ("crawler", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that ``name`` imports, anywhere in it (under
    TYPE_CHECKING and inside functions too).  ``from package import module``
    imports the module; the package only when a name is not a module."""
    found = set()
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                ".".join([*here[: len(here) - node.level + 1], *([node.module] if node.module else [])])
                if node.level
                else node.module or ""
            )
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known.keys()
            found |= submodules
            if len(submodules) < len(node.names):
                found.add(base)
    return {module for module in found if module in known and module != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(name, path, known) for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the modules along it (a depth-first search
    that reports the path back to a module still on the stack)."""
    found, done, stack = [], set(), []

    def visit(module: str) -> None:
        stack.append(module)
        for target in sorted(edges[module]):
            if target in stack:
                found.append([*stack[stack.index(target) :], target])
            elif target not in done:
                visit(target)
        stack.pop()
        done.add(module)

    for module in sorted(edges):
        if module not in done:
            visit(module)
    return found


def test_crawler_and_storage_import_in_no_circle():
    edges = graph()
    for source, target in DEFERRED_CIRCLES:
        edges[source].discard(target)
    assert circles(edges) == []


def test_the_deferred_circles_are_still_there_to_undo():
    edges = graph()
    assert [edge for edge in sorted(DEFERRED_CIRCLES) if edge[1] not in edges[edge[0]]] == []


def test_the_circle_finder_finds_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_crawl_policy_needs_no_scrapy():
    edges, outside = graph(), set()
    for path in (ROOT / "crawler" / "policy").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                outside |= {name.split(".")[0] for name in names}
    assert not outside & {"scrapy", "twisted", "parsel"}
    # nor anything of the crawler that does
    policy = [name for name in edges if name.startswith("crawler.policy")]
    assert not {target for name in policy for target in edges[name]} & {
        name for name in edges if name.startswith(("crawler.spiders", "crawler.middlewares", "crawler.pipelines"))
    }


READERS = ("crawler.readers.browse", "crawler.readers.alerts", "crawler.readers.feed", "crawler.readers.warc_export")
CRAWLING = (
    "scrapy",
    "twisted",
    "parsel",
    "crawler.extract",
    "crawler.spiders",
    "crawler.policy",
    "crawler.pipelines",
    "crawler.middlewares",
    "crawler.backfill",
    "crawler.sites.profile",
)


def test_readers_never_load_extraction_nor_scrapy():
    """What a reader imports, as Python loads it (parent packages too): a
    server that only shows an archive loads none of the crawl."""
    code = (
        f"import importlib, sys\nfor name in {READERS!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({CRAWLING!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_every_reader_is_in_the_readers_package():
    """Nothing under crawler/readers/ is missed by the check above."""
    found = {name.rsplit(".", 1)[0] if name.count(".") > 2 else name for name in modules()}
    assert {name for name in found if name.startswith("crawler.readers.")} == set(READERS)


def test_readers_hold_no_sql():
    """Every SQL string a reader runs lives in storage's read path."""
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WITH)\b[\s\S]*\b(FROM|INTO|SET|AS)\b")
    found = [
        (str(path.relative_to(ROOT)), node.value[:40])
        for path in (ROOT / "crawler" / "readers").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and sql.search(node.value)
    ]
    assert found == []
    assert sql.search("SELECT id FROM sites")  # the check can fail


# A read that still borrows the write path's code, listed until it is undone
# (only shrinks, as DEFERRED_CIRCLES).
READ_USES_WRITE = {
    ("storage.read.view", "storage.write.reextract"),  # reextract_plan: plan() and merges() live beside apply()
}


def test_storage_s_contract_read_and_write_paths_lean_one_way():
    """The contract imports nothing else of storage; the read path never
    the write path (the writer may read: it serves crawls their site state)."""
    edges = graph()

    def wrong(source: str, target: str) -> bool:
        if source.startswith("storage.contract."):
            return target.startswith("storage") and not target.startswith("storage.contract")
        if source.startswith("storage.read."):
            return target.startswith(("storage.write", "storage.relay")) and (source, target) not in READ_USES_WRITE
        return False

    assert [(source, target) for source in edges for target in edges[source] if wrong(source, target)] == []
    assert [edge for edge in sorted(READ_USES_WRITE) if edge[1] not in edges[edge[0]]] == []
    assert wrong("storage.read.view", "storage.write.writer") and wrong("storage.contract.schema", "storage.read.view")


def importers_of_conftest(folder: Path) -> list[str]:
    """Test modules that import from conftest.py (pytest's module, not a library)."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "conftest":
                found.append(path.name)
            elif isinstance(node, ast.Import) and any(alias.name.split(".")[-1] == "conftest" for alias in node.names):
                found.append(path.name)
    return found


def test_tests_share_helpers_from_their_own_module_not_conftest(tmp_path):
    assert importers_of_conftest(ROOT / "tests") == []
    (tmp_path / "test_x.py").write_text("from .conftest import ROOT\n")  # the check can fail
    assert importers_of_conftest(tmp_path) == ["test_x.py"]
