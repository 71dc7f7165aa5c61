"""Extraction for sites whose profile names no title or body selectors.

A single-page extractor must guess what is chrome.  A crawler of one board
need not: the board's template repeats on every page.  From a sample of the
site's release pages presswatch learns which places in the template (block
signatures: the tag, id and classes of each ancestor) carry the same text
from page to page — menus, headings, the "Date :" and "Hit :" lines with
their digits masked, prev/next links, share bars, footers — and drops
whatever those places hold on any page, even text that rotates between
crawls.  Titles of the board's other releases are dropped wherever they
appear.  The body is what is left in the region holding most of the text.
trafilatura is the fallback when too few pages are known to learn from.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from lxml import etree

from crawler.exceptions import ExtractionError
from crawler.extract.contents import without_contents
from crawler.extract.context import PageContext, Template
from crawler.extract.days import page_days
from crawler.extract.endmatter import without_end_matter
from crawler.extract.files import FILE_LINK, file_boxes, file_cards, typed_file_links
from crawler.extract.furniture import furniture, rows_joined, without_date_lines, without_source_lines
from crawler.extract.heading import a_dek, occasion, page_title, title_box
from crawler.extract.noise import without_noise
from crawler.extract.notices import shared_texts, without_age_notices, without_notices
from crawler.extract.onward import related_boxes
from crawler.extract.opening import without_opening_matter
from crawler.extract.pages import (
    BLOCK_TAGS,
    CELL_TAGS,
    HEADINGS,
    Block,
    Extracted,
    attachments_from,
    blocks,
    body_from,
    extract_release,
    hits_from,
    later_day,
    parse_published,
    published_from,
    select_all,
    selector_sources,
)
from crawler.extract.parse import page_root
from crawler.extract.places import labelled, mask, signature, within
from crawler.extract.region import (
    LIST_LINKS,
    in_navigation,
    label_and_links,
    links_only,
    links_to_releases,
    main_region,
    other_text_fields,
    set_as_text,
    taken_back,
    with_what_follows,
)
from crawler.extract.titles import (
    TitleIndex,
    after_title_again,
    echoes_title,
    names_listed_release,
)
from crawler.extract.urls import host, link_target
from crawler.sites.profile import SiteProfile
from storage import Content, normalise_text

SAMPLE_PAGES = 8  # release pages a site's template is learned from
FIT_SHARE = 0.3  # a page showing fewer of the template's chrome places is not a release page
LIST_TITLES = 2  # other releases' titles in the page's main region: a list, not a release
MIN_PAGES = 3  # fewer sample pages than this teach nothing
# A place is chrome when its text repeats on half the pages that have it,
# and half the sample pages have it: a place only a series of the board's
# pages has (summaries of deliberations, their lead and section heads alike)
# is that series' text.
SHARED_SHARE = 0.5
# A place that holds a paragraph of a page's own on as many pages as it
# repeats a line on is the releases' text: two notices that only say
# "* Please refer to the attached file." do not make the board's text chrome.
PARAGRAPH = 80
_PLACES = BLOCK_TAGS | CELL_TAGS
_DIGIT = re.compile(r"\d")
_SAME_FACTS = re.compile(r"#(?:\W*#)*")  # "March 17-18, 2009" and "September 16, 2008" masked alike
_HITS = re.compile(r"(?i)(?:\bhits?\b|\bviews?\b|조회수?)\W*([\d,]+)")


def learn_template(pages: list[str]) -> Template | None:
    """Learn from release pages of one site (different releases, same crawl)."""
    if len(pages) < MIN_PAGES:
        return None
    per_page = []
    plain_texts = []
    files: Counter[str] = Counter()
    names: Counter[str] = Counter()
    declared: set[str] = set()
    for html in pages:
        texts = defaultdict(set)
        plain: list[tuple[str, str]] = []
        root = page_root(html)
        declared.add(_SAME_FACTS.sub("#", mask(normalise_text(root.findtext(".//title") or ""))))
        opened = _opened_files(root)
        body = without_noise(root)
        for block in blocks(body, cells=True):
            place = signature(block.element)
            texts[place].add(labelled(block) or mask(block.text))
            plain.append((place, block.text))
        per_page.append(texts)
        plain_texts.append(plain)
        linked = [link for link in body.iter("a") if FILE_LINK.search(link_target(link))] + opened
        files.update({link_target(link) for link in linked})
        names.update({normalise_text(link.text_content()) for link in linked})
    seen_on = Counter((place, text) for texts in per_page for place, values in texts.items() for text in values)
    present: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    own_text: Counter[str] = Counter()  # pages where the place holds a paragraph no other page has
    for texts in per_page:
        for place, values in texts.items():
            present[place] += 1
            if all(seen_on[place, text] >= 2 for text in values):
                shared[place] += 1
            elif any(seen_on[place, text] == 1 and len(text) >= PARAGRAPH for text in values):
                own_text[place] += 1
    chrome = frozenset(
        place
        for place in present
        if shared[place] >= 2
        and shared[place] >= SHARED_SHARE * present[place]
        and present[place] >= SHARED_SHARE * len(pages)
        and shared[place] > own_text[place]
    )
    return Template(
        chrome,
        len(pages),
        frozenset(href for href, count in files.items() if count >= 2),
        frozenset(name for name, count in names.items() if count >= 2),
        shared_texts([(text for place, text in plain if place not in chrome) for plain in plain_texts]),
        dated_titles=len(declared) == 1 and "#" in next(iter(declared)),
    )


def extract_page(html: str, context: PageContext, utf8: bytes | None = None) -> Extracted:
    """A release page by its profile: by selectors when the profile gives a
    title and a body, else generically (learned template, any selectors given).
    ``utf8``: the page's bytes when ``html`` is them decoded (see page_root)."""
    if context.profile.generic:
        return extract_generic(html, context, utf8)
    found = extract_release(html, context.profile, context.url, utf8)
    if found.content.published or not context.listed_day:
        return found
    # A board whose pages show no day of their own (the list is where it is)
    content = dataclasses.replace(found.content, published=context.listed_day.isoformat())
    return dataclasses.replace(found, content=content, sources={**found.sources, "published": "the list"})


def extract_generic(html: str, context: PageContext, utf8: bytes | None = None) -> Extracted:
    """The clean record of a page of a site whose profile gives some or none
    of the [detail] selectors: each one given is used, the rest found
    generically; or ExtractionError."""
    profile, template, titles, own_title, page_url = (
        context.profile,
        context.template,
        context.titles,
        context.own_title,
        context.url,
    )
    rule = profile.detail
    page = page_root(html, utf8)  # parsed once: selectors and the title are read before noise goes
    selected = select_all(
        page, [css for css in (rule.title, rule.published, rule.updated, rule.hits, rule.body, rule.attachments) if css]
    )
    chrome = template.chrome if template else frozenset()
    learned = "learned template" if template else "page structure (no template learned)"
    opened = _opened_files(page)  # before the noise goes: buttons are noise
    page_blocks = blocks(without_noise(page, rule.drop), cells=True)
    if chrome and _fit(page_blocks, chrome) < FIT_SHARE:
        raise ExtractionError(
            "the page does not look like the site's release pages (maintenance or error page?)", "template"
        )
    sources = selector_sources(rule)
    title = page_title(page, profile, chrome, titles, own_title, page_blocks, bool(template and template.dated_titles))
    if not title:
        raise ExtractionError("no title found (maintenance or error page?)", "title", rule.title)
    names_listed_release(title, own_title, rule.title)
    sources.setdefault("title", learned)
    if rule.body:
        body = [text for text in body_from(selected[rule.body], rule.drop).split("\n\n") if text]
    else:
        cards = file_cards(page_blocks) + file_boxes(page_blocks) + related_boxes(page_blocks)
        head = title_box(page, title)

        def the_page_s(block: Block) -> bool:  # a line of the page, not the release, wherever it stands
            return furniture(block, chrome) or any(within(block.element, card) for card in cards)

        def within_head(block: Block) -> bool:
            return head is not None and within(block.element, head)

        candidates = [
            block
            for block in page_blocks
            if signature(block.element) not in chrome
            and not echoes_title(block.text, title)
            and not the_page_s(block)
            and not within_head(block)
        ]
        listing = {id(block) for block in candidates if titles.mentioned_in(block.text, own_title or title)}
        main = main_region(candidates) if template else []
        if sum(id(block) in listing for block in main) >= LIST_TITLES or links_to_releases(main, profile) >= LIST_LINKS:
            raise ExtractionError("the page lists other releases (a list page?)", "template")
        content = [block for block in candidates if id(block) not in listing]
        as_text: frozenset[str] = frozenset()
        if template:
            # what the region takes back from the template is no file box or other furniture either
            back = [block for block in taken_back(page_blocks, main_region(content), chrome) if not the_page_s(block)]
            region = with_what_follows(page_blocks, content, back)
            region += other_text_fields(page_blocks, content, region)
            body, as_text = _with_lead(page_blocks, content, region, title, profile), set_as_text(region)
        else:
            body, sources["body"] = _fallback_body(html, title, titles, own_title), "trafilatura"
        body = without_notices(body, template.shared) if template else body
        body = _without_page_lines(body, profile, title, as_text)
        if not body and template:
            body = _the_title_again(page_blocks, chrome, title, lambda block: the_page_s(block) or within_head(block))
    if not body:
        raise ExtractionError("no body text found", "body", rule.body)
    sources.setdefault("body", learned)
    short = [block.text for block in page_blocks if len(block.text) <= 80]
    meeting_day = occasion(page, profile) if template and template.dated_titles else None
    days = page_days(page_blocks, page, chrome, profile, context.listed_day, meeting_day, title)
    published = published_from(selected[rule.published], profile) if rule.published else None
    if not rule.published:
        published, sources["published"] = days.published, days.source
        if not published and (published := parse_published(title, profile)):
            sources["published"] = "the title"  # a speech's day, "… (May 15, 2020)", when no line gives one
    hits = hits_from(selected[rule.hits], rule.hits_pattern) if rule.hits else None
    if not rule.hits:
        # "Hits : 12" on one line, or 조회수 in a <th> and 12 in the <td> beside it
        lines = short + [f"{one} {two}" for one, two in zip(short, short[1:]) if not _DIGIT.search(one)]
        hits = next((int(m.group(1).replace(",", "")) for text in lines if (m := _HITS.search(text))), None)
        sources["hits"] = "page text"
    if rule.attachments:
        attachments = attachments_from(selected[rule.attachments], profile, page_url)
    else:
        attachments = attachments_from(
            _file_links(
                page,
                template,
                titles,
                own_title or title,
                opened,
                typed_file_links(page_blocks),
                frozenset(_domain(url) for url in (page_url, profile.base_url)),
            ),
            profile,
            page_url,
        )
        sources["attachments"] = "links to files outside the chrome"
    updated = published_from(selected[rule.updated], profile) if rule.updated else days.updated
    updated = later_day(updated, published)
    return Extracted(Content(title, published, "\n\n".join(body), attachments), hits, sources, updated)


def chrome_lines(html: str, profile: SiteProfile, template: Template) -> list[str]:
    """The page's text that the learned template drops as chrome, in page order."""
    page_blocks = blocks(without_noise(page_root(html), profile.detail.drop), cells=True)
    return [block.text for block in page_blocks if signature(block.element) in template.chrome]


def _fit(page_blocks: list[Block], chrome: frozenset[str]) -> float:
    """The share of the template's chrome places a page shows."""
    present = {signature(block.element) for block in page_blocks}
    return len(present & chrome) / len(chrome)


def _file_links(
    page: etree._Element,
    template: Template | None,
    titles: TitleIndex,
    own_title: str,
    opened: Sequence[etree._Element],
    typed: Sequence[etree._Element] = (),
    site: frozenset[str] = frozenset(),
) -> list[etree._Element]:
    """Links to files and download endpoints anywhere on the page (boards
    often put a download box beside the body), links a box presents as a
    document by its type (``typed``), and buttons that open one,
    except the site's own files (linked from other pages too), its tools
    (a link every page names alike in the template's place, served by the
    ``site``'s domains: "PDF version", "Viewer") and links named after
    another release (a "related" box).  A file named alike on every page
    but kept in a document store elsewhere is each release's own: a
    meeting's "Agenda" and "Minutes"."""
    links = []
    template = template or Template(frozenset(), 0)
    for link in [*page.iter("a"), *opened]:
        if not (FILE_LINK.search(target := link_target(link)) or link in typed) or target in template.site_files:
            continue
        place = next((node for node in link.iterancestors() if str(node.tag).lower() in _PLACES), None)
        if (
            place is not None
            and signature(place) in template.chrome
            and normalise_text(link.text_content()) in template.tool_names
            and _domain(target) in site | {""}
        ):
            continue
        if titles.mentioned_in(normalise_text(" ".join(link.itertext())), own_title):
            continue
        links.append(link)
    links = _after_the_title(page, links, own_title)
    hrefs = {link_target(link).rstrip("/") + "/" for link in links}
    # a file's own preview page (".../report.csv/preview") is the file's, not another
    return [link for link in links if not any(link_target(link).startswith(href) for href in hrefs)]


def _domain(url: str) -> str:
    """The host a link is served from, "www." aside ("" for a relative link)."""
    name = host(url)
    return name[4:] if name.startswith("www.") else name


# Elements other than links that open something when clicked (buttons, mostly)
_ONCLICK = etree.XPath(".//*[@onclick][not(self::a)]")


def _opened_files(page: etree._Element) -> list[etree._Element]:
    """The buttons that open a file by script, its address written out
    (KDI's <button onclick="location.href='/file/download?atch_no=…'">)."""
    return [element for element in _ONCLICK(page) if FILE_LINK.search(link_target(element))]


def _with_lead(
    page_blocks: list[Block], content: list[Block], region: list[Block], title: str, profile: SiteProfile
) -> list[str]:
    """The body's region, after the content between the title and it: a lead
    or summary paragraph that sits beside the body (GOV.UK's, for one) is the
    release's too.  Short lines there that give a date or a count are not,
    nor boxes of links (a label's too: the release's topics), nor a
    section's tabs."""
    if not region:
        return []
    order = {id(block): n for n, block in enumerate(page_blocks)}
    heading = next((n for n, block in enumerate(page_blocks) if block.text == title), None)
    if heading is not None:  # a kicker above the title ("Policy paper", "Press release") is not the release's
        region = [block for block in region if order[id(block)] > heading]
        if not region:
            return []
    start = order[id(region[0])]
    lead = (
        []
        if heading is None
        else [
            block
            for block in content
            if heading < order[id(block)] < start
            and not _dateline(block.text, profile)
            and not links_only(block)
            and not label_and_links(block)
            and (a_dek(block.element) or not in_navigation(block))
        ]
    )
    return rows_joined(lead + region)


def _after_the_title(page: etree._Element, links: list[etree._Element], title: str) -> list[etree._Element]:
    """A file linked before the release's heading (in a menu, a "you may
    also be interested in" box above it) is another page's, not one the
    release offers.  The heading is the first whose text is the title (a
    menu item bearing the same words is no heading; a transcript's dialog
    repeating it comes later)."""
    if not links:
        return links
    heading = next(
        (element for element in page.iter(*HEADINGS) if normalise_text(element.text_content()) == title), None
    )
    if heading is None:
        return links
    before = set()
    for element in page.iter():
        if element is heading:
            break
        before.add(element)
    return [link for link in links if link not in before]


def _the_title_again(
    page_blocks: list[Block], chrome: frozenset[str], title: str, the_page_s: Callable[[Block], bool]
) -> list[str]:
    """The text of a release that says no more than its title ("Net
    International Reserves reached US$ 53,134.2 mn at the end of May
    2026"): the title once more, on a line of its own that is no heading,
    chrome, navigation or other line of the page's."""
    for block in reversed(page_blocks):
        if (
            block.text == title
            and str(block.element.tag).lower() not in HEADINGS
            and signature(block.element) not in chrome
            and not (the_page_s(block) or in_navigation(block) or links_only(block))
        ):
            return [block.text]
    return []


def _without_page_lines(body: list[str], profile: SiteProfile, title: str, as_text: frozenset[str]) -> list[str]:
    """The body without the page's lines at its ends (source, age notice,
    date and end lines, contacts and the other language's link above the
    text, the page's head and the title again), each kind uncovering the
    next: a day above "The following is issued on behalf of …:"."""
    while (
        trimmed := after_title_again(
            without_date_lines(
                without_opening_matter(
                    without_end_matter(without_contents(without_age_notices(without_source_lines(body))))
                ),
                profile,
            ),
            title,
            as_text,
        )
    ) != body:
        body = trimmed
    return body


def _dateline(text: str, profile: SiteProfile) -> bool:
    return len(text) <= 80 and bool(_HITS.search(text) or parse_published(text, profile))


def _fallback_body(html: str, title: str, titles: TitleIndex, own_title: str | None) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    lines = (normalise_text(line) for line in text.splitlines())
    return [line for line in lines if line and line != title and not titles.mentioned_in(line, own_title or title)]
