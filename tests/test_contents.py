"""A table of contents inside the text is the page's, not the release's."""

from __future__ import annotations

import pytest

from crawler.extract.contents import without_contents

TEXT = [
    "Ⅰ. 문제 제기",
    "보조금 투입이 급증한 상황에서 비용효율성에 대한 검토가 필요하다.",
    "Ⅱ. 비용편익 분석",
    "보조금의 편익은 비용을 넘지 못했다.",
    "Ⅲ. 구조적 제약",
    "전력계통과 자본조달이 병목이다.",
]


def test_a_closing_contents_that_lists_the_headings_again_goes():
    """KDI FOCUS closes with its 목차, the headings in ASCII numerals."""
    contents = ["KDI FOCUS 목차", "I. 문제 제기", "II. 비용편익 분석", "III. 구조적 제약"]
    assert without_contents(TEXT + contents) == TEXT
    assert without_contents(TEXT + contents[1:]) == TEXT


def test_an_opening_contents_goes():
    contents = ["Contents", "Ⅰ. 문제 제기", "Ⅱ. 비용편익 분석", "Ⅲ. 구조적 제약"]
    assert without_contents(contents + TEXT) == TEXT


def test_a_labelled_contents_of_headings_the_page_does_not_show_goes():
    """A report's page gives its summaries and then the whole book's 목차."""
    summary = ["경제적 불평등은 사회 통합과 성장에 영향을 미친다. " * 3]
    assert without_contents([*summary, "목차", "제1장 서론", "제2장 불평등 추이", "제3장 원인", "참고문헌"]) == summary


@pytest.mark.parametrize(
    "body",
    [
        [*TEXT, "Ⅲ. 구조적 제약", "Ⅱ. 비용편익 분석"],  # two lines said again: too few for a contents
        ["The office opens on Monday.", "Hours:", "Monday 9-5", "Tuesday 9-5", "Wednesday 9-5"],
        ["Contents", "The box holds a charger, a cable and a manual, shipped to every school this spring."],
    ],
)
def test_what_is_not_a_contents_stays(body):
    assert without_contents(body) == body
