"""The check the crawl tests make of requests to one host: it must catch a
crowded host and forgive one request that reached a busy test server
late."""

from __future__ import annotations

import itertools

import pytest

from .helpers import spacing_problem


def at(*gaps: float) -> list[float]:
    return [0.0, *itertools.accumulate(gaps)]


@pytest.mark.parametrize(
    "times, problem",
    [
        (at(0.4, 0.4, 0.4, 0.4, 0.4), None),
        (at(0.4, 0.65, 0.15, 0.4, 0.4, 0.4), None),  # the third request came 0.25 s late
        (at(0.4, 0.4, 0.05, 0.4, 0.4, 0.4), "two requests to one host 0.050 s apart"),
        (
            at(0.15, 0.25, 0.15, 0.25, 0.15, 0.25),
            "two requests to one host 0.150 s apart",
        ),  # two nodes, each polite alone
        (at(0.3, 0.3, 0.3, 0.3, 0.3), "5 requests to one host in 1.200 s"),
    ],
)
def test_spacing_catches_a_crowded_host_and_forgives_a_late_arrival(times, problem):
    assert spacing_problem(times, 0.4) == problem
