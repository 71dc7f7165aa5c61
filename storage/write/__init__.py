"""The archive's write path: the one writer, its lock, and everything that
changes an archive through it (fetches, re-readings, reextract, a backfill's
history, the alert log)."""
