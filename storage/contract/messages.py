"""What the writer accepts from the stream, as rules over plain data.

Anything may be written to a Redis stream, by a bug or by anyone Redis
lets in.  ``read_entry`` turns a stream entry into a ``RelayedMessage`` or
says, in a ``MessageRejected``, why not; ``sequence`` says whether a job's
message comes in its turn.  The writer sets aside what fails either and
goes on: no entry can stop it, nor stop it again when it restarts and
reads the entry again.

The checks run cheapest and most hostile first: sizes before decoding, the
signature before the JSON is parsed, the nesting bounded before any code
walks the body, then each field's type, so that nothing reaches SQLite that
it cannot store (a list as a key, an integer past 64 bits).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .errors import MessageRejected
from .outcomes import ENDED_SEQ, MessageKind, RelayedMessage
from .signing import job_key, same, sign_message

MAX_INT = 2**63 - 1  # SQLite's INTEGER, and so the largest sequence number
MAX_DEPTH = 16  # the deepest body a job sends, a finish's list_cycle, has 5 levels
MAX_NAME = 256  # a job's token is a uuid, a site's id a profile's; a signature 64 hex digits
MAX_RECENT_PAGES = 100  # a generic site's template is learned from 8 (crawler.extract.generic)
FIELDS = ("token", "site", "seq", "kind", "body", "sig")


def largest_message(page_bytes: int) -> int:
    """The largest body a crawl whose pages are at most ``page_bytes`` sends:
    the page as base64 (4/3 of it), its extracted text (at most the page
    again, 1.5 times over when a two-byte charset becomes UTF-8), and a
    mebibyte for headers and the rest of the record."""
    return 3 * page_bytes + 2**20


NONE = type(None)
OPT_STR = (str, NONE)
OPT_INT = (int, NONE)
ANY = object
# A dict is an object with those fields ("name?": may be absent); [spec] a
# list of items like spec, [a, b] a list of exactly two; a tuple, one of.
SITE = {"id": str, "name": str, "country": str, "language": str, "timezone": str, "base_url": str, "key_terms?": [str]}
OBSERVATION = {
    "url": str,
    "http_status": OPT_INT,
    "fetched_at": str,
    "hits": OPT_INT,
    "updated": OPT_STR,
    "etag": OPT_STR,
    "last_modified": OPT_STR,
    "error": OPT_STR,
}
CONTENT = {"title": str, "published": OPT_STR, "body": str, "attachments": [{"name": str, "url": str}]}
BODIES: dict[MessageKind, dict[str, Any]] = {
    MessageKind.BEGIN: {"site": SITE, "recent_pages?": int},
    MessageKind.PAGE: {
        "site_id": str,
        "key": OPT_STR,
        "kind": str,
        "observation": OBSERVATION,
        "content": (CONTENT, NONE),
        "raw_html?": str,
        "encoding?": str,
        "crawl_id?": OPT_INT,
        "missing_from_list?": bool,
        "request_headers?": [[str, str]],
        "response_headers?": [[str, str]],
        "moved_to?": OPT_STR,
        "moved_key?": OPT_STR,
        "reader?": OPT_STR,
        "captured_from?": OPT_STR,
    },
    MessageKind.LISTING: {
        "site_id": str,
        "walk": str,
        "page": int,
        "seen_at?": str,
        "crawl_id?": OPT_INT,
        "entries": [{"key": str, "url": str, "title?": str, "date?": OPT_STR, "position?": int}],
    },
    MessageKind.FINISH: {
        "site_id": str,
        "requests": int,
        "list_complete": bool,
        "failures": [str],
        "swept?": int,
        "sweep_size?": int,
        "list_pages?": int,
        "list_cycle?": (NONE, [dict, OPT_STR]),
    },
    MessageKind.ENDED: {"site_id": str, "message?": OPT_STR},
}


def read_entry(raw: Mapping[Any, Any], relay_key: bytes, max_bytes: int) -> RelayedMessage:
    """A stream entry as a message its job signed, or MessageRejected."""
    fields = _text_fields(raw, max_bytes)
    token, site, seq_text, kind_text, body_text = (fields[name] for name in FIELDS[:5])
    if not re.fullmatch(r"[0-9]{1,19}", seq_text) or not 1 <= int(seq_text) <= MAX_INT:
        raise MessageRejected(f"sequence number {seq_text[:40]!r} is not a whole number from 1 to 2**63-1")
    try:
        kind = MessageKind(kind_text)
    except ValueError:
        raise MessageRejected(f"no such kind of message: {kind_text!r}") from None
    if not fields["sig"]:
        raise MessageRejected("not signed: the writer applies only what a dispatched job signed")
    if not same(
        fields["sig"], sign_message(job_key(relay_key, token, site), token, site, seq_text, kind_text, body_text)
    ):
        raise MessageRejected(f"wrong signature: not signed with the key of job {token!r} for site {site!r}")
    body = _parse(body_text)
    _check(body, BODIES[kind], "body")
    message = RelayedMessage(token, int(seq_text), kind, body)
    if message.site != site:
        raise MessageRejected(f"the body writes site {message.site!r}, the message is for {site!r}")
    if kind == MessageKind.ENDED and message.seq != ENDED_SEQ:
        raise MessageRejected(f"an end of job has sequence number {ENDED_SEQ}, not {message.seq}")
    if not 0 <= body.get("recent_pages", 0) <= MAX_RECENT_PAGES:
        raise MessageRejected(f"recent_pages {body['recent_pages']} is not from 0 to {MAX_RECENT_PAGES}")
    return message


def sequence(applied: int, seq: int, kind: MessageKind) -> str:
    """ "apply", "repeated" or why the message is out of sequence, given the
    last sequence number applied of its job (0: none yet).  A job numbers
    its messages 1, 2, 3…; its end, told by the dispatcher, outranks them
    all, so that nothing it sends after is applied."""
    if seq <= applied:
        return "repeated"
    if kind == MessageKind.ENDED or seq == applied + 1:
        return "apply"
    return f"out of sequence: message {seq} of the job, after {applied}; expected {applied + 1}"


def _text_fields(raw: Mapping[Any, Any], max_bytes: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in raw.items():
        name = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
        if name not in FIELDS:
            continue
        size = len(value)
        limit = max_bytes if name == "body" else MAX_NAME
        if size > limit:
            raise MessageRejected(f"field {name} has {size} bytes, over the {limit} a crawl job ever sends")
        try:
            fields[name] = value.decode("utf-8") if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError as error:
            raise MessageRejected(f"field {name} is not UTF-8 text: {error}") from None
    missing = [name for name in FIELDS if name not in fields]
    if missing:
        raise MessageRejected(f"missing field(s): {', '.join(missing)}")
    return fields


def _no_constant(name: str) -> None:
    raise MessageRejected(f"body holds {name}, which is not JSON")


def _parse(text: str) -> Any:
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # Python's parser recurses once per level: ~1,000 is its end
        raise MessageRejected(f"body nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # JSONDecodeError, and integers of over 4,300 digits
        raise MessageRejected(f"body is not JSON: {error}") from None
    stack = [(body, 1)]
    while stack:  # a loop, not recursion: nothing deep reaches code that recurses
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise MessageRejected(f"body nested deeper than {MAX_DEPTH} levels")
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
        elif isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT:
            raise MessageRejected(f"body holds {str(value)[:30]}…, beyond a 64-bit integer")
    return body


def _check(value: Any, spec: Any, where: str) -> None:
    if isinstance(spec, tuple):
        if any(_is(value, choice) for choice in spec if isinstance(choice, type)):
            return None
        nested = [choice for choice in spec if not isinstance(choice, type)]
        for choice in nested:
            try:
                return _check(value, choice, where)
            except MessageRejected:
                if len(nested) == 1 and isinstance(value, dict | list):
                    raise  # what is wrong inside it says more than "not one of"
        raise MessageRejected(f"{where} is {_name(value)}, not {' or '.join(_name(choice) for choice in spec)}")
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise MessageRejected(f"{where} is {_name(value)}, not an object")
        fields = _fields(spec)
        if stray := [name for name in value if name not in fields]:
            raise MessageRejected(f"{where} has no field {stray[0][:60]!r}")
        for name, (inner, optional) in fields.items():
            if name in value:
                _check(value[name], inner, f"{where}.{name}")
            elif not optional:
                raise MessageRejected(f"{where}.{name} is missing")
    elif isinstance(spec, list):
        if not isinstance(value, list) or (len(spec) > 1 and len(value) != len(spec)):
            raise MessageRejected(
                f"{where} is {_name(value)}, not a list" + (f" of {len(spec)}" if len(spec) > 1 else "")
            )
        for number, item in enumerate(value):
            _check(item, spec[0] if len(spec) == 1 else spec[number], f"{where}[{number}]")
    elif not _is(value, spec):
        raise MessageRejected(f"{where} is {_name(value)}, not {_name(spec)}")
    return None


def _is(value: Any, kind: type) -> bool:
    return kind is ANY or (isinstance(value, kind) and not (kind is int and isinstance(value, bool)))


_FIELDS: dict[int, dict[str, tuple[Any, bool]]] = {}


def _fields(spec: dict[str, Any]) -> dict[str, tuple[Any, bool]]:
    """An object's spec as {field: (spec, optional)}, worked out once."""
    if id(spec) not in _FIELDS:
        _FIELDS[id(spec)] = {name.rstrip("?"): (inner, name.endswith("?")) for name, inner in spec.items()}
    return _FIELDS[id(spec)]


def _name(value: Any) -> str:
    if isinstance(value, type):
        return {str: "a string", int: "an integer", bool: "true or false", NONE: "null", dict: "an object"}.get(
            value, value.__name__
        )
    if isinstance(value, dict | list | tuple):
        return "an object" if isinstance(value, dict) else "a list"
    return "null" if value is None else f"{type(value).__name__} {str(value)[:30]!r}"
