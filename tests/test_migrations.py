"""A migration does the same thing for ever: it reads only SQL frozen with
it (storage.contract.fts, the views constants of storage.contract.views, its own body), and
no shipped migration is edited.  Live code — the diff, the kinds, the
content model — changes from release to release; what it derives for old
versions the writer fills when it opens an archive
(storage.write.version_rows.fill_derived)."""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from pathlib import Path

import storage.contract.fts
import storage.contract.schema
import storage.contract.views

# Each shipped migration's source, pinned.  A new migration adds its line;
# a shipped one is never edited (m002 was, once, to stop it calling live
# code: archives it had already upgraded are as it left them).
SHIPPED = {
    "m001_initial": "fd1d4976406c5771",
    "m002_events_word_changes_views": "6c323e9d8e2e0899",
    "m003_one_change_log_site_events_quoted_fts": "20f6e8d11743dc0f",
    "m004_sweep": "a606ef0ebd9f3379",
    "m005_list_evidence": "c568a6ba9feb15fb",
    "m006_capture_headers": "575ae120dfd7cf22",
    "m007_alerts": "363fcf3bd8c7bdfa",
    "m008_release_aliases": "82e96f31343795b3",
    "m009_reextractions": "b34efde0bb6c4cef",
    "m010_relayed_jobs": "b60391e4b27d1b31",
    "m011_readers": "17c040ade11164fe",
    "m012_fetch_updated": "1e39beb57046d8a4",
    "m013_capture_digests": "80b824a0afa0bb65",
    "m014_capture_references": "8b5d2fbc12b60fb5",
    "m015_change_kinds": "d2802be035cbee3f",
    "m016_site_key_terms": "cbd0504efbf87258",
    "m017_backfill": "de605c1fc9ff7e14",
    "m018_version_kinds": "a2857320a7cc63fe",
}
FROZEN_SQL = {"fts": "f8584d8ae0559f84"}
VIEWS = {
    "VIEWS_M002": "45f7ca6078ef4264",
    "CHANGE_VIEWS_M003": "abbe09f54cdb32a8",
    "LATEST_VERSIONS_M005": "e742dfb68172b683",
    "CHANGE_VIEWS_M015": "a648c67448b55e29",
    "CHANGE_VIEWS_M017": "ca4d5e9415083f85",
}
MAY_IMPORT = {
    "__future__",
    "contextlib",
    "hashlib",
    "zlib",
    "collections.abc",
    "sqlite_utils",
    "sqlite_utils.migrations",
    ".fts",
    ".views",
    ".migration_registry",  # the @migration that lists a migration, nothing it runs
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def code(source: str) -> str:
    """What source does, whatever its layout and docstrings (a formatter
    may rewrap a migration; it must not change it)."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return digest(ast.dump(tree))


def migration_files() -> list[Path]:
    """The modules the migrations are written in (storage.contract.schema loads them)."""
    return [Path(module.__file__ or "") for module in storage.contract.schema.MODULES]


def test_no_shipped_migration_is_edited():
    assert storage.contract.schema.NAMES == list(SHIPPED), "a new migration adds its line to SHIPPED"
    defined = {name: value for module in storage.contract.schema.MODULES for name, value in vars(module).items()}
    found = {name: code(inspect.getsource(defined[name])) for name in storage.contract.schema.NAMES}
    assert found == SHIPPED


def test_migrations_read_only_sql_frozen_with_them():
    nodes = [node for path in migration_files() for node in ast.walk(ast.parse(path.read_text("utf-8")))]
    imported = {"." * node.level + (node.module or "") for node in nodes if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= MAY_IMPORT, imported - MAY_IMPORT
    assert code(Path(storage.contract.fts.__file__).read_text("utf-8")) == FROZEN_SQL["fts"]
    views = {
        alias.name
        for node in nodes
        if isinstance(node, ast.ImportFrom) and node.module == "views"
        for alias in node.names
    }
    # the views a migration created: constants named after it, never redefined
    assert views == set(VIEWS), "a new migration's views add their line to VIEWS"
    assert {name: digest(repr(getattr(storage.contract.views, name))) for name in views} == VIEWS
