"""The archive's read path: read-only views, the SQL every reader runs (the
command line's questions, the Datasette pages, the feeds), the evidence
exports, and the proof that an archive is whole.  Never imports the write
path."""
