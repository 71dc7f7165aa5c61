"""Full-text indexes as the archive keeps them: external-content FTS5
tables, kept in step with their rows by triggers, named as sqlite-utils and
Datasette expect (``<table>_fts``)."""

from __future__ import annotations


def unquoted_fts_statements(table: str, columns: list[str]) -> list[str]:
    """As m001 and m002 wrote them: the content table's name unquoted (m003
    quotes it, as sqlite-utils does)."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {table}_fts ({table}_fts, rowid, {names}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {table}_fts (rowid, {names}) VALUES (new.rowid, {new});"
    return [
        f"CREATE VIRTUAL TABLE {table}_fts USING FTS5 ({names}, content={table})",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


def fts_statements(table: str, columns: list[str]) -> list[str]:
    """An external-content FTS5 index kept in step by triggers, named and
    quoted as sqlite-utils and Datasette expect."""
    return [
        statement.replace(f"content={table})", f'content="{table}")')
        for statement in unquoted_fts_statements(table, columns)
    ]
