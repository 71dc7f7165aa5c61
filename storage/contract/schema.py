"""The archive's schema, as named migrations recorded in the database.

Each migration runs once, in a transaction, and is recorded in
``_sqlite_migrations``; an archive written by an older presswatch upgrades
when it is opened.  Never edit a migration that has shipped: add a new one.
The migrations live in modules by the release that shipped them (MODULES);
this module loads them in the order they run.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import migrations_0_1, migrations_since_0_2
from .migration_registry import NAMES, migrations

# Importing a module registers its migrations: these, in the order they run.
MODULES = (migrations_0_1, migrations_since_0_2)


def migrate(db: Database) -> None:
    migrations.apply(db)


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in the archive that this presswatch does not know."""
    return [applied.name for applied in migrations.applied(db) if applied.name not in NAMES]
