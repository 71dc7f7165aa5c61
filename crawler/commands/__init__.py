"""The command line (`presswatch …`): thin glue over the crawler and the archive."""

from crawler.commands.cli import cli

__all__ = ["cli"]
