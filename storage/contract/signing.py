"""Who may write the archive through Redis: keys and signatures.

Redis's password lets a process into the stream; it must not let it into
the archive.  One secret, the relay key, is held by the archive's writer
and by ``presswatch dispatch`` only.  For each job it schedules, the
dispatcher derives the job's own key from the relay key, the job's token
and the site it was dispatched for, and hands the job that key alone.  Every
message a job sends is signed (HMAC-SHA256) with it, over the job, the
site, the sequence number, the kind and the body as sent.  The writer
derives the same key from the message's job and site and checks the
signature: so a node holds keys that sign for its own jobs' sites, nothing
else, and a process without any key signs nothing.

The dispatcher also records in Redis which site, with which profile
(``Site`` record), it scheduled each job for, signed with the relay key
itself, which no node holds: the writer begins a job's crawl only as the
dispatcher recorded it, so a node cannot rename a site or move its
``base_url`` either.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from .errors import RelayError

MIN_KEY_CHARS = 32  # `openssl rand -hex 32` writes 64


def load_key(path: str | Path) -> bytes:
    """The relay key in a file (its text, surrounding whitespace aside)."""
    try:
        text = Path(path).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise RelayError(f"cannot read the relay key from {path}: {error}") from None
    if len(text) < MIN_KEY_CHARS:
        raise RelayError(
            f"{path} holds {len(text)} characters; a relay key needs at least {MIN_KEY_CHARS} "
            f"(make one with: openssl rand -hex 32 > {path})"
        )
    return text.encode("utf-8")


def _mac(key: bytes, *parts: str, tail: bytes = b"") -> bytes:
    # The header as a JSON array cannot be read two ways, whatever the
    # strings hold; the body follows it byte for byte as it was sent.
    return hmac.new(key, json.dumps(parts).encode("utf-8") + b"\n" + tail, hashlib.sha256).digest()


def job_key(relay_key: bytes, token: str, site_id: str) -> bytes:
    """The key of one job, good for one site: what its node holds."""
    return _mac(relay_key, "presswatch job key", token, site_id)


def sign_message(key: bytes, token: str, site_id: str, seq: str, kind: str, body: str) -> str:
    """A message's signature (hex), with its job's key."""
    return _mac(key, "presswatch message", token, site_id, seq, kind, tail=body.encode("utf-8")).hex()


def sign_reply(key: bytes, what: str, token: str, site_id: str, payload: str) -> str:
    """The writer's answer to a job, or the result it leaves the dispatcher,
    signed with the job's key: what a job is told of the archive comes from
    its writer, not from whoever else can write Redis."""
    return _mac(key, f"presswatch {what}", token, site_id, tail=payload.encode("utf-8")).hex()


def sign_assignment(relay_key: bytes, token: str, site: str) -> str:
    """The dispatcher's record of a job's site (``site``: the Site record as
    JSON), signed with the relay key: no node can write one."""
    return _mac(relay_key, "presswatch assignment", token, tail=site.encode("utf-8")).hex()


def same(signature: Any, expected: str) -> bool:
    """Whether a signature read from Redis is the one expected, in constant time."""
    return isinstance(signature, str) and hmac.compare_digest(
        signature.encode("ascii", "replace"), expected.encode("ascii")
    )
