"""`presswatch check`: what a profile would archive, before the first crawl.

Fetches one list page and one release page (plus, for a profile without
selectors, the sample its template is learned from) through the crawl's
own fetch path: the same Scrapy settings (robots.txt, User-Agent, delay per
host), the same charset, binary and truncation checks, the same extraction.
Nothing is written: the spider reads no archive and no pipeline runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from lxml import html as lxml_html
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.extract.encoding import decode_page
from crawler.extract.generic import SAMPLE_PAGES, chrome_lines
from crawler.extract.pages import Listed, paragraphs, parse_feed, parse_list, release_key
from crawler.extract.urls import rebase
from crawler.items import FetchKind, FetchOutcome
from crawler.policy.plan import ReleaseFetch
from crawler.runner import project_settings
from crawler.sites.profile import SiteProfile
from crawler.spiders import template
from crawler.spiders.board import BoardSpider
from crawler.spiders.responses import content_type, describe, failed_request


@dataclass
class CheckReport:
    list_url: str = ""
    listed: list[Listed] = field(default_factory=list)
    detail_url: str = ""
    key: str = ""
    outcome: FetchOutcome | None = None
    page_chars: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # field → selector or how it was found
    chrome: list[str] | None = None  # the page's text the learned template drops (None: no template)
    error: str = ""  # why the check could not go on
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome is not None and self.outcome.kind is FetchKind.PAGE


class CheckSpider(BoardSpider):
    """One site, one list page, one release page; outcomes kept, not archived."""

    def __init__(self, *args: Any, target: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.site = next(iter(self.sites.values()))
        self.target = target
        self.report = CheckReport()

    async def start(self):
        site, profile = self.site, self.site.profile
        if profile.feed or profile.sitemap:
            url = site.base_url + (profile.feed or profile.sitemap)
        else:
            url = profile.list_url(site.base_url, profile.start[0], profile.pagination.first)
        self.report.list_url = url
        yield site.request(url, self.check_list, self.list_failed)

    def list_failed(self, failure: Failure) -> list:
        self.report.error = f"cannot fetch the list page {failed_request(failure).url}: {describe(failure)}"
        return []

    async def check_list(self, response: Response) -> list:
        site, profile = self.site, self.site.profile
        if profile.feed or profile.sitemap:
            listed = parse_feed(response.body, profile, response.url)
        elif isinstance(response, TextResponse):
            listed = parse_list(response.text, profile, response.url)
        else:
            listed = []
        listed = self.report.listed = site.walk.accept(response.url, listed)
        if not listed and not self.target:
            self.report.notes.append(f"no release links found: {site.walk.no_links_message(response.url, 'list')}")
            return []
        target = self.target or listed[0].url
        self.report.detail_url = target
        self.report.key = release_key(rebase(target, profile.base_url), profile) or ""
        if profile.generic:
            await template.learn(site, listed[:SAMPLE_PAGES])
            if site.reading.template is None:
                self.report.notes.append("fewer than 3 sample pages to learn the template from: using trafilatura")
        request = site.release_request(ReleaseFetch(self.report.key, target))
        return [request.replace(callback=self.check_detail, errback=self.detail_failed)]

    async def check_detail(self, response: Response, key: str, url: str) -> list:
        outcome = self.site.fetch_outcome(response, key, url)
        self.report.outcome = outcome
        if outcome.kind is FetchKind.PAGE:
            page = decode_page(response.body, content_type(response), self.site.profile.encoding)[0]
            self.report.page_chars = sum(len(p) for p in paragraphs(lxml_html.fromstring(page)))
            reading = self.site.reading
            self.report.sources = reading.extract(page, key, url).sources
            if reading.template is not None:
                self.report.chrome = chrome_lines(page, self.site.profile, reading.template)
        return []

    def detail_failed(self, failure: Failure) -> list:
        self.report.outcome = self.site.detail_failed(failure)[0]
        return []


def check(profile: SiteProfile, base_url: str | None = None, url: str | None = None) -> CheckReport:
    """Run the check crawl and return what it found."""
    # The report says what went wrong; Scrapy's own log would repeat it with tracebacks.
    settings = project_settings(db="", log_level="CRITICAL")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CheckSpider)
    process.crawl(crawler, name=f"check-{profile.id}", sites=[profile], base_url=base_url, target=url)
    process.start()
    return cast(CheckSpider, crawler.spider).report


def describe_report(report: CheckReport) -> list[str]:
    lines = [f"list page: {report.list_url}", f"releases listed: {len(report.listed)}"]
    lines += [f"  {item.key}  {item.date or '-'}  {item.title}" for item in report.listed[:5]]
    if report.error:
        lines.append(f"error: {report.error}")
    outcome = report.outcome
    if outcome is None:
        return lines + [f"note: {note}" for note in report.notes]
    lines += [f"release page: {report.detail_url}", f"key: {report.key}"]
    if outcome.kind is not FetchKind.PAGE or outcome.content is None:
        status = outcome.observation.http_status
        reason = outcome.observation.error or {
            FetchKind.GONE: "the page is gone (404/410 or redirected away)",
            FetchKind.NOT_MODIFIED: "not modified",
        }.get(outcome.kind, "")
        lines.append(f"error: {reason}" + (f" (HTTP {status})" if status else ""))
        return lines + [f"note: {note}" for note in report.notes]
    content = outcome.content
    body_chars = len(content.body.replace("\n\n", ""))
    dropped = 1 - body_chars / report.page_chars if report.page_chars else 0
    hits = outcome.observation.hits
    source = {name: f"  [{where}]" for name, where in report.sources.items()}
    lines += [
        f"title: {content.title}{source.get('title', '')}",
        f"published: {content.published or '-'}{source.get('published', '')}",
        f"hits (observation, not content): {hits if hits is not None else '-'}{source.get('hits', '')}",
        f"body: {len(content.paragraphs)} paragraphs, {body_chars} characters{source.get('body', '')}",
        *(f"  {n:>2}. {_shorten(paragraph)}" for n, paragraph in enumerate(content.paragraphs, 1)),
        f"attachments: {len(content.attachments)}{source.get('attachments', '')}",
        *(f"  {a.name} <{a.url}>" for a in content.attachments),
        f"chrome dropped: {report.page_chars - body_chars} of {report.page_chars} characters of page text ({dropped:.0%})",
    ]
    if report.chrome is not None:
        lines.append(f"judged chrome by the learned template: {len(report.chrome)} lines")
        lines += [f"  - {_shorten(text, 80)}" for text in report.chrome]
    missing = {"published": content.published, "hits": hits, "attachments": content.attachments}
    lines += [
        f"warning: no {name} found{_HOW.get(name, '')}"
        for name, value in missing.items()
        if value is None or value == ()
    ]
    return lines + [f"note: {note}" for note in report.notes]


_HOW = {
    "published": ": give [detail] published (a selector) or published_formats",
    "hits": " (fine if the board shows no counter)",
    "attachments": " (fine if the release has none; else give [detail] attachments)",
}


def _shorten(paragraph: str, width: int = 100) -> str:
    """Every paragraph is listed (a dropped lead would show), each on one line."""
    return paragraph if len(paragraph) <= width else paragraph[: width - 1] + "…"
