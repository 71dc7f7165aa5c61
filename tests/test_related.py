"""A box of other pages under a heading that names them ("Related Recalls",
"Weitere Meldungen", "관련 기사") is the site's way onward, not the release."""

from __future__ import annotations

import pytest

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES
from .test_furniture import TEXTS, TITLES

# Each page's box shows two other releases, the latest when it was published:
# their titles linked, a line of each.
OTHERS = [
    ("Heaters recalled due to fire hazard", "The heater's switch can overheat when left on overnight."),
    ("Cribs recalled due to fall hazard", "The crib's side rail can detach from its frame."),
    ("Kettles recalled due to burn hazard", "The kettle's lid can open while pouring hot water."),
    ("Helmets recalled due to head injury hazard", "The helmet can fail to protect in a crash."),
    ("Chargers recalled due to shock hazard", "The charger's casing can crack and expose its parts."),
    ("Strollers recalled due to entrapment hazard", "The stroller's canopy hinge can trap a finger."),
]


def page(n: int, heading: str) -> str:
    others = "".join(
        f'<div class="row"><a href="/recalls/{k}"><div class="title">{OTHERS[k][0]}</div></a><p>{OTHERS[k][1]}</p></div>'
        for k in (2 * n, 2 * n + 1)
    )
    return f"""<html><body><nav><a href="/">Home</a> <a href="/recalls">Recalls</a></nav><main><article>
<h1>{TITLES[n]}</h1><div class="fields"><p>{TEXTS[n][0]}</p><p>{TEXTS[n][1]}</p>
<div class="related"><h2>{heading}</h2><div class="view">{others}</div></div></div>
</article></main><footer><p>Consumer Product Safety</p></footer></body></html>"""


@pytest.mark.parametrize(
    "heading", ["Related Recalls", "Associated links", "Weitere Meldungen", "관련 기사", "See also:"]
)
def test_a_box_of_other_pages_under_a_heading_naming_them_is_not_the_release_s(heading):
    pages = [page(n, heading) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    template = learn_template(pages)
    for n in range(3):
        found = extract_generic(pages[n], PageContext(profile, f"https://press.example.org/{n}", template))
        assert found.content.body == "\n\n".join(TEXTS[n][:2])


def test_a_heading_of_the_release_over_its_own_text_stays():
    pages = [
        page(n, "Related Recalls").replace(
            '<div class="related">',
            f'<h2>Related products</h2><p>The recall also covers spare {TEXTS[n][2]} parts.</p><div class="related">',
        )
        for n in range(3)
    ]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[1], PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert found.content.body.split("\n\n")[2:] == ["Related products", "The recall also covers spare autumn parts."]


@pytest.mark.parametrize(
    "line, href",
    [
        ("Esta publicación pertenece a la colección {}", "/colecciones/706-{}"),
        ("This publication is part of the collection: {}", "/government/collections/{}"),
    ],
)
def test_the_collection_a_release_is_filed_in_is_not_its_text(line, href):
    # gob.pe closes one release of a collection with it, inside the text's box
    def filed(n: int) -> str:
        name, slug = ("Guidance on heaters and cribs", "heaters-and-cribs")
        note = line.format(f'<a href="{href.format(slug)}">{name}</a>') if n == 1 else ""
        return page(n, "Related Recalls").replace("</p>\n<div", f"</p><p>{note}</p>\n<div", 1).replace("<p></p>", "")

    pages = [filed(n) for n in range(3)]
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[1], PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert found.content.body == "\n\n".join(TEXTS[1][:2])
    # a sentence of the text that mentions a collection's page keeps its place
    told = pages[1].replace(
        f"<p>{TEXTS[1][1]}</p>",
        f'<p>{TEXTS[1][1]} The <a href="/collections/x">new series</a> explains how the recall works.</p>',
    )
    found = extract_generic(told, PageContext(profile, "https://press.example.org/1", learn_template(pages)))
    assert "explains how the recall works" in found.content.body
