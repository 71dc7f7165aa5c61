"""Synthetic boards and archives: realistic sizes, deterministic content."""

from __future__ import annotations

import random

WORDS = (
    "minister ministry foreign affairs cooperation bilateral agreement talks summit delegation "
    "economic security peninsula regional partnership development trade investment climate "
    "maritime consular overseas nationals humanitarian assistance dialogue meeting conference "
    "statement joint declaration sides agreed exchanged views discussed strengthen expand "
    "continue communication channels government policy support peace stability prosperity "
    "nuclear denuclearization missile sanctions council resolution initiative framework "
    "vice director general ambassador embassy counterpart visit official invitation welcome "
    "the of and to in on for with a an as at by from that this which their its both"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def release(seq: int, days_ago: int, rng: random.Random) -> dict:
    paragraphs = [
        f"{n}. " + " ".join(sentence(rng, rng.randint(12, 24)) for _ in range(rng.randint(2, 4)))
        for n in range(1, rng.randint(6, 10))
    ]
    return {
        "seq": seq,
        "title": sentence(rng, rng.randint(6, 12))[:-1],
        "days_ago": days_ago,
        "hits": rng.randint(10, 5000),
        "paragraphs": paragraphs,
    }


def board(count: int, *, per_day: int = 1, seed: int = 1) -> dict:
    """A board of ``count`` releases, newest first, ``per_day`` a day,
    with pages padded to about 30 KB as the real site's are."""
    rng = random.Random(seed)
    return {
        "releases": [release(1_000_000 - i, i // per_day, rng) for i in range(count)],
        "menu_items": 220,
        "log": False,
        "cookie_dance": True,
    }
