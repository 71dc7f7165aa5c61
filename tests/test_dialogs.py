"""A <dialog> is shown only when open: the consent box a page opens before
it plays an embedded video (Familjen Helsingborg's Vimeo consent,
tests/files/corpus/se_familjenhelsingborg_nyheter) is not the release's
text, wherever it stands."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

CONSENT = "Den här delen av hemsidan visar innehåll från Vimeo. Genom att fortsätta godkänner du GDPR."
RELEASES = [
    ("Rampljus i Ängelholm", "Häng med till det vackra glassparadiset Ängelholm i veckans program."),
    ("Rampljus i Höganäs", "Följ med till keramikens Höganäs och dess hamn i veckans program."),
    ("Rampljus i Klippan", "Veckans program besöker Klippan och dess pappersbruk vid ån."),
]
DAYS = ["fredag", "lördag", "söndag"]


def closing(n: int) -> str:
    return f"Programmet sänds på webben varje {DAYS[n]} och går att se i efterhand hela veckan."


def release(n: int, *, video: bool = True, open_box: bool = False) -> str:
    title, line = RELEASES[n]
    opened = " open" if open_box else ""
    box = f"""<div class="mod-iframe"><div class="c-acceptance"><dialog class="c-modal"{opened}>
<h2 class="c-modal__heading">Vi behöver ditt godkännande för att ta dig vidare</h2>
<div class="c-modal__content">{CONSENT}</div></dialog></div></div>"""
    return f"""<html><head><title>{title}</title></head><body>
<nav><a href="/">Hem</a> <a href="/nyheter">Nyheter</a></nav>
<article id="article"><h1>{title}</h1>
<p class="lead">{line}</p>
{box if video else ""}
<p>{closing(n)}</p>
</article><footer>Familjen Helsingborg · Kontakt</footer></body></html>"""


def read(pages: list[str], n: int) -> list[str]:
    profile = load_profile(FILES / "sites" / "example_press.toml")
    found = extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content
    return found.body.split("\n\n")


def test_a_closed_dialog_is_not_the_release_s_text():
    # one release of the three embeds a video, so the template cannot tell
    body = read([release(m, video=m == 0) for m in range(3)], 0)
    assert body == [RELEASES[0][1], closing(0)]


def test_an_open_dialog_is_shown_and_read():
    pages = [release(m, video=m == 0, open_box=True).replace(CONSENT, "Sändningen flyttas.") for m in range(3)]
    assert "Sändningen flyttas." in read(pages, 0)
