"""The list of presswatch's migrations, in the order they run.

Each module of migrations registers its own with ``@migration`` when it is
imported; storage.contract.schema imports those modules in the order their
migrations run, and is the one way in.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("presswatch")
NAMES: list[str] = []  # every migration this presswatch knows, in order


def migration(function: Callable[[Database], None]) -> Callable[[Database], None]:
    NAMES.append(function.__name__)
    return migrations()(function)
