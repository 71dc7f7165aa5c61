"""A regulator's register of notices, read without selectors: fields of
data beside a field of prose, the prose cut short with the whole of it
behind a "read more" toggle, and a later event's day labelled as a
publication beside the notice's own day (the ACCC's acquisitions register,
tests/files/corpus/au_accc_acquisitions)."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

NOTICES = [
    {
        "title": "Brewer – Warehouse site in Deer Park",
        "status": "Assessment completed",
        "notified": ("2025-08-15", "15 August 2025"),
        "determined": ("2025-09-05", "5 September 2025"),
        "parties": ["BREWER HOLDINGS PTY LTD ABN - 48 135 315 767", "GPT PLATFORM PTY LIMITED ABN - 51 164 839 061"],
        "codes": ["121 Beverage Manufacturing", "67 Property Operators and Real Estate Services"],
        "text": [
            "The brewer will enter into an agreement for lease with the trust for the site known as 179 Tilburn Road.",
            "The site is zoned for commerce and lies about 15 km west of the city centre, and is vacant today.",
        ],
    },
    {
        "title": "Defence supplier – site within the airport precinct",
        "status": "Phase 2 review",
        "notified": ("2025-08-08", "8 August 2025"),
        "determined": ("2025-08-29", "29 August 2025"),
        "parties": ["DEFENCE SUPPLIER PTY LTD ABN - 95 146 599 359"],
        "codes": ["2499 Other Machinery and Equipment Manufacturing n.e.c.", "3211 Land Development and Subdivision"],
        "text": [
            "The supplier proposes to lease land beside the airport to build a facility for its missile systems.",
            "The landlord is owned by two councils and runs the airport under a lease from the Commonwealth.",
        ],
    },
    {
        "title": "Fuel retailer – Convenience sites",
        "status": "Under assessment",
        "notified": ("2025-10-10", "10 October 2025"),
        "determined": ("2025-11-21", "21 November 2025"),
        "parties": ["FUEL RETAIL HOLDING PTY LTD ACN - 689 777 704"],
        "codes": ["4000 Fuel Retailing", "4110 Supermarket and Grocery Stores"],
        "text": [
            "Under a share purchase agreement the retail sites of the vendor will become the acquirer's own sites.",
            "The two overlap in the supply of fuel and convenience goods in every state at the retail level.",
        ],
    },
]


def field(label: str, values: str, name: str) -> str:
    return (
        f'<div class="field field--name-{name} field--label-inline"><h3 class="field__label">{label}</h3>'
        f'<div class="field__items">{values}</div></div>'
    )


def notice_page(n: int, *, teaser: bool = True, text: list[str] | None = None, consultation: str = "") -> str:
    notice = NOTICES[n]
    paragraphs = "".join(f"<p>{line}&nbsp;</p>" for line in text or notice["text"])
    cut = notice["text"][0][:60].rsplit(" ", 1)[0]
    description = (
        f'<div class="read-more-wrapper"><div class="summary-text"><p>{cut}</p></div>'
        f'<div class="full-text" style="display:none;">{paragraphs}</div>'
        '<a href="#" class="read-toggle">read more</a></div>'
        if teaser
        else paragraphs
    )
    parties = "<ul>" + "".join(f'<li><div class="paragraph"><span>{p}</span></div></li>' for p in notice["parties"])
    codes = "".join(f'<div class="field__item">{code}</div>' for code in notice["codes"])
    (notified, notified_shown), (determined, determined_shown) = notice["notified"], notice["determined"]
    return f"""<html><head><title>{notice["title"]} | Commission</title>
<meta property="article:published_time" content="{notified}T10:00:00+10:00"></head><body>
<nav><a href="/">Home</a> <a href="/registers">Public registers</a></nav>
<h1 class="page-title">{notice["title"]}</h1><article class="full-view">
<div class="field field--name-status field--type-list-string field--label-hidden field__item">{notice["status"]}</div>
<div class="field field--name-notified field--label-inline"><h3 class="field__label">Effective notification date</h3>
<div class="field__item"><time datetime="{notified}T12:00:00Z">{notified_shown}</time></div></div>
<div><h3 class="border-bottom">Status</h3>
<div class="field field--name-determined field--label-inline"><h3 class="field__label">Determination publication date</h3>
<div class="field__item"><time datetime="{determined}T12:00:00Z">{determined_shown}</time></div></div></div>
<div><h3 class="border-bottom">About the acquisition</h3>
{field("Acquirer(s)", parties + "</ul>", "applicants")}{field("ANZSIC code(s)", codes, "anzsic")}
{field("Description", f'<div class="field__item text-formatted">{description}</div>', "body")}</div>
{
        f'<div><h3 class="border-bottom">Consultation</h3><div class="field field--name-consultation '
        f'field--type-text-long text-formatted field__item"><p>{consultation}</p></div></div>'
        if consultation
        else ""
    }
</article><footer>Commission · Privacy</footer></body></html>"""


def read(pages: list[str], n: int) -> tuple[str, str | None]:
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content
    return found.body, found.published


@pytest.mark.parametrize("n", range(3))
def test_a_notice_s_record_is_its_description_in_full_without_its_fields_of_data(n):
    body, _ = read([notice_page(m) for m in range(3)], n)
    assert body.split("\n\n") == NOTICES[n]["text"]


@pytest.mark.parametrize("n", range(3))
def test_a_value_chosen_from_a_fixed_list_is_the_register_s_data_not_the_text(n):
    body, _ = read([notice_page(m) for m in range(3)], n)
    assert NOTICES[n]["status"] not in body


@pytest.mark.parametrize("n", range(3))
def test_hidden_text_that_no_visible_line_begins_stays_hidden(n):
    pages = [
        notice_page(m).replace(
            "<p>" + NOTICES[m]["text"][0][:60].rsplit(" ", 1)[0],
            f"<p>In short: {NOTICES[m]['title']}, a lease.",
            1,
        )
        for m in range(3)
    ]
    body, _ = read(pages, n)
    assert NOTICES[n]["text"][1] not in body


def test_a_field_of_prose_keeps_even_one_short_sentence():
    pages = [notice_page(0, teaser=False, text=["The lease is for ten years."])] + [notice_page(m) for m in (1, 2)]
    body, _ = read(pages, 0)
    assert body == "The lease is for ten years."


@pytest.mark.parametrize("n", range(3))
def test_the_notice_s_day_is_the_one_its_metadata_declares_not_a_later_event_s(n):
    _, published = read([notice_page(m) for m in range(3)], n)
    assert published[:10] == NOTICES[n]["notified"][0]


def test_a_second_field_of_rich_text_further_down_the_notice_is_its_text_too():
    said = "The period for providing submissions in response to the questionnaire has concluded."
    pages = [notice_page(0, consultation=said)] + [notice_page(m) for m in (1, 2)]
    body, _ = read(pages, 0)
    assert body.split("\n\n") == NOTICES[0]["text"] + [said]
