"""Crawl jobs on several machines and the archive's one writer, through
Redis: the job's side (``channel``), the dispatcher's (``dispatcher``),
the writer's side of the stream (``stream``) and what it applies
(``applier``); the Redis keys they share (``keys``).  docs/scale-out.md
says how to run it.

Nothing is imported here: a module of the relay loads redis only when it
needs it."""
