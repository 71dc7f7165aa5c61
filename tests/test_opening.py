"""The top of a release's text: the press office's contacts set above it and
the link to the release in another language are the page's, not the release's."""

from __future__ import annotations

import pytest

from crawler.extract.opening import without_opening_matter

NOTE = "EDITOR’S NOTE: This release was updated on August 29, 2018 to provide updated illness outbreak information."
TEXT = "WASHINGTON, April 20, 2017 – The agency is alerting consumers that a meal may be contaminated."


@pytest.mark.parametrize(
    "body, kept",
    [
        # FSIS's alerts: the office, a name, a number, an address, then the Spanish release's link
        (
            ["Congressional and Public Affairs", "Julie Schwartz", "(202) 720-9113", "Press@fsis.usda.gov"]
            + ["En Español", TEXT],
            [TEXT],
        ),
        (["Congressional and Public Affairs", "Benjamin A. Bell (202) 720-9113", "Press@fsis.usda.gov", TEXT], [TEXT]),
        (["In English", TEXT, "中文"], [TEXT]),
        # an editor's note above the contacts is the release's
        (
            [NOTE, "Congressional and Public Affairs", "Benjamin A. Bell (202) 720-9113", "Press@fsis.usda.gov"]
            + ["En Español", TEXT],
            [NOTE, TEXT],
        ),
        ([NOTE, TEXT], [NOTE, TEXT]),
        # the office's word to editors on whom to quote (Queensland Health's opinion pieces)
        (["Opinion piece - Please attribute the below to Dr Jeannette Young, Chief Health Officer:", TEXT], [TEXT]),
        (["Please attribute to Minister Smith.", TEXT], [TEXT]),
        # a sentence of the text that asks something else stays
        (
            ["Please attribute any photo you share to the photographer.", TEXT],
            ["Please attribute any photo you share to the photographer.", TEXT],
        ),
        # a number alone above the text is the release's (a hotline it announces)
        (["Flood hotline", "1-800-555-0199", TEXT], ["Flood hotline", "1-800-555-0199", TEXT]),
        # a sentence giving a number and an address is the release's
        (
            ["Call (202) 720-9113 or write to press@fsis.usda.gov to join the call.", TEXT],
            ["Call (202) 720-9113 or write to press@fsis.usda.gov to join the call.", TEXT],
        ),
        # contacts and nothing after them: not read as a block above a text
        (
            ["Julie Schwartz", "(202) 720-9113", "Press@fsis.usda.gov"],
            ["Julie Schwartz", "(202) 720-9113", "Press@fsis.usda.gov"],
        ),
        # a language's name inside the text stays
        ([TEXT, "English", TEXT], [TEXT, "English", TEXT]),
    ],
)
def test_contacts_and_the_other_language_above_the_text_are_not_the_release_s(body, kept):
    assert without_opening_matter(body) == kept
