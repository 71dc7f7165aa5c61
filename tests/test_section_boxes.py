"""A release set in boxes: its topics under the heading, its text in
sections each under an <h2> of its own, its files and its useful links as
cards (the Italian digital-transformation department's Bootstrap Italia
build, tests/files/corpus/it_innovazione_comunicati_stampa)."""

from __future__ import annotations

from crawler.extract.context import PageContext
from crawler.extract.generic import extract_generic, learn_template
from crawler.sites.profile import load_profile

from .helpers import FILES

RELEASES = [
    ("Fondo digitale: 18 nuovi progetti", "Competenze digitali", "Il Fondo finanzia diciotto progetti nel 2025."),
    (
        "Strategia nazionale per l'intelligenza artificiale",
        "Intelligenza artificiale",
        "Il governo adotta la strategia.",
    ),
    ("Direttiva sui residui del PNRR", "PA digitale 2026", "La direttiva regola le somme residue dei progetti."),
]

LEADS = [
    "Potenziata l'offerta formativa dei Punti Digitale Facile",
    "Un programma per la ricerca e le imprese fino al 2024",
    "Le amministrazioni potranno riutilizzare le economie",
]

DETAILS = [
    "Le risorse sono assegnate con avviso pubblico agli enti del terzo settore che ne fanno domanda entro giugno.",
    "Il programma individua ventiquattro politiche per rafforzare la ricerca e portare l'innovazione nelle imprese.",
    "Le amministrazioni che hanno concluso i progetti possono impiegare le somme residue in nuove attività.",
]


def section(heading: str | None, *paragraphs: str) -> str:
    head = (
        f'<h2 class="it-page-section h4 mb-4"><span class="_mid-target-point"></span>{heading}</h2>' if heading else ""
    )
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<div class="col-12 col-lg-7"><div class="container-xl mb-4 mid-formatted-content">{head}
<div class="row"><div class="col-12">{text}</div></div></div></div>"""


def cards(heading: str, links: list[tuple[str, str, str]]) -> str:
    """A box of cards under its heading: each a linked name and a line asking to follow it."""
    faces = "".join(
        f"""<div class="mt-3 col-12 col-md-6"><div class="card card-teaser"><div class="card-body">
<h3 class="fw-semibold"><a href="{href}" class="card-title">{name}</a></h3><p class="card-text">{call}</p></div></div></div>"""
        for name, href, call in links
    )
    return f"""<div class="col-12 col-lg-9 offset-lg-2"><div class="container-xl mt-5 py-3">
<h2 class="h5 fw-semibold"><span class="_mid-target-point"></span>{heading}</h2><div class="row">{faces}</div></div></div>"""


MORE = (
    "Il Dipartimento pubblicherà le graduatorie sul proprio sito e seguirà i progetti fino alla loro conclusione, "
    "verificando i risultati raggiunti con le amministrazioni e con gli enti che li hanno proposti."
)
SUBTITLES = ["Il contenuto della misura", "Gli obiettivi del programma", "Chi può chiedere le somme"]
ASSETS = "https://assets.innovazione.gov.it"
SITE = ("Il bando del Fondo", "https://www.fondorepubblicadigitale.it/bandi/", "Visita il sito")


def release(n: int, *, sections: int = 1, files: bool = False, sites: bool = False) -> str:
    title, topic, line = RELEASES[n]
    parts = [section(None, line, DETAILS[n], MORE)]
    parts += [section(SUBTITLES[n], f"La seconda parte del comunicato {n} spiega la misura.")] * (sections - 1)
    if files:
        own = [
            ("Avviso pubblico", f"{ASSETS}/{n}7-avviso.pdf", "Scarica il PDF"),
            ("Nota", f"{ASSETS}/{n}8-nota.pdf", "Scarica PDF"),
        ]
        parts.append(cards("Allegati", own))
    if sites:
        parts.append(cards("Collegamenti utili", [SITE]))
    return f"""<html><head><title>{title} | Innovazione</title></head><body>
<header><nav><a href="/">Home</a> <a href="/notizie">Notizie</a></nav></header>
<main><div class="container-xl"><div class="row">
<div class="offset-lg-1 col-lg-6 col-md-8"><div class="text-center pb-4"><h1 class="h2">{title}</h1>
<p class="lead mid-caption--lead">{LEADS[n]}</p></div>
<div class="row"><div class="col-md-6"><span class="mid-caption d-block">Data</span> <span>1{n} aprile 2025</span></div></div></div>
<div class="offset-lg-1 col-md-4"><div class="dropdown"><button type="button">Condividi</button></div>
<span class="mid-caption d-block">Argomenti</span> <a href="/argomenti/{n}" class="chip"><span class="chip-label">{topic}</span></a>
</div></div></div>
<div class="container-xl"><div class="row">{"".join(parts)}</div></div>
</main><footer>Presidenza del Consiglio dei ministri</footer></body></html>"""


def read(pages: list[str], n: int):
    profile = load_profile(FILES / "sites" / "example_press.toml")
    return extract_generic(pages[n], PageContext(profile, template=learn_template(pages))).content


def test_a_label_over_topic_links_under_the_heading_is_not_the_lead():
    found = read([release(m) for m in range(3)], 0)
    assert found.body.split("\n\n") == [LEADS[0], RELEASES[0][2], DETAILS[0], MORE]


def test_a_section_under_a_heading_of_its_own_keeps_its_heading():
    # one release of three has a second section, so the template cannot tell
    found = read([release(m, sections=2 if m == 2 else 1) for m in range(3)], 2)
    assert found.body.split("\n\n")[-2:] == [SUBTITLES[2], "La seconda parte del comunicato 2 spiega la misura."]


def test_file_cards_that_ask_to_be_downloaded_and_a_box_of_useful_links_are_not_the_text():
    found = read([release(m, files=m != 1, sites=m == 0) for m in range(3)], 0)
    assert found.body.split("\n\n") == [LEADS[0], RELEASES[0][2], DETAILS[0], MORE]
    assert [attachment.url for attachment in found.attachments] == [f"{ASSETS}/07-avviso.pdf", f"{ASSETS}/08-nota.pdf"]
