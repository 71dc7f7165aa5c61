"""What the rest of presswatch agrees on: the schema and its migrations, the
archive's vocabulary and errors, what a release's content is and when a
fetch makes a version (its diff, its kinds), how a capture is stored, and
how any archive is opened.  Imports nothing else of storage."""
