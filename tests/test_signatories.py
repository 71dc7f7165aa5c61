"""A signatory's lines: the name and post set flush right where the text
ends are the page's, not the release's; a line the text goes on after,
a sentence, or a figure in its cell is not a signature."""

from __future__ import annotations

import pytest

from crawler.extract.furniture import furniture

from .helpers import body_blocks


@pytest.mark.parametrize(
    "html, furniture_",
    [
        # the signatory set flush right under the text (the Reserve Bank of India), footnotes below a rule
        (
            '<p align="right"><span class="head">(Yogesh Dayal)</span><br>Chief General Manager</p>'
            '<p class="head">Press Release : 2019-2020/2391</p><hr><p class="footnote"><sup>1</sup> All India '
            "headline CPI was not released for April 2020 in view of limited transactions in non-food items.</p>",
            True,
        ),
        ('<div style="text-align: right">Alpana Killawala<br>Principal Adviser</div>', True),
        # a paper's authors set right under its title: the text goes on after them (Japan's CIO papers)
        (
            '<p align="right">政府ＣＩＯ補佐官 村田 真</p><p>本ペーパーは、政府情報システムの標準化について論点を整理したものである。</p>',
            False,
        ),
        ('<p align="right">The Committee kept the rate unchanged this time.</p>', False),  # a sentence
        ('<table><tr><td align="right">1,234</td></tr></table>', False),  # a figure in its cell
    ],
)
def test_a_signatory_set_flush_right_where_the_text_ends_is_not_the_release_s(html, furniture_):
    block = body_blocks(html)[0]
    assert furniture(block, frozenset()) is furniture_
