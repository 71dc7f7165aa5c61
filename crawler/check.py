"""`presswatch check`: what a profile would archive, before the first crawl.

Fetches one list page and one release page (plus, for a profile without
selectors, the sample its template is learned from) with plain urllib: a
profile author gets an answer in seconds, with no archive written.
"""

from __future__ import annotations

import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

from lxml import html as lxml_html

from .encoding import decode_page
from .errors import CheckError
from .extract import Extracted, Listed, extract_release, paragraphs, parse_feed, parse_list, release_key
from .generic import SAMPLE_PAGES, TitleIndex, extract_generic, learn_template
from .profile import SiteProfile
from .urls import fetch_url, rebase

TIMEOUT = 30


@dataclass
class CheckReport:
    list_url: str
    listed: list[Listed]
    detail_url: str = ""
    key: str = ""
    extracted: Extracted | None = None
    page_chars: int = 0
    notes: list[str] = field(default_factory=list)


class Fetcher:
    def __init__(self, user_agent: str):
        self.user_agent = user_agent
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def get(self, url: str) -> tuple[bytes, str]:
        if not self._allowed(url):
            raise CheckError(f"robots.txt forbids {url}")
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except OSError as error:
            raise CheckError(f"cannot fetch {url}: {error}") from None

    def _allowed(self, url: str) -> bool:
        origin = url.split("/", 3)[:3]
        key = "/".join(origin)
        if key not in self.robots:
            parser = urllib.robotparser.RobotFileParser(key + "/robots.txt")
            try:
                parser.read()
            except OSError:
                parser.allow_all = True
            self.robots[key] = parser
        return self.robots[key].can_fetch(self.user_agent, url)


def check(profile: SiteProfile, user_agent: str, base_url: str | None = None, url: str | None = None) -> CheckReport:
    base = (base_url or profile.base_url).rstrip("/")
    fetcher = Fetcher(user_agent)
    if profile.feed or profile.sitemap:
        list_url = base + (profile.feed or profile.sitemap)
        listed = parse_feed(fetcher.get(list_url)[0], profile, list_url)
    else:
        path = profile.start[0]
        list_url = profile.list_url(base, path, profile.pagination.first)
        body, content_type = fetcher.get(list_url)
        listed = parse_list(decode_page(body, content_type, profile.encoding)[0], profile, list_url)
    report = CheckReport(list_url, listed)
    if not listed and not url:
        report.notes.append("no release links found: check [links] rows and pattern")
        return report

    def fetch_page(page_url: str) -> str:
        body, content_type = fetcher.get(fetch_url(page_url, profile.base_url, base))
        return decode_page(body, content_type, profile.encoding)[0]

    target = url or listed[0].url
    report.detail_url = target
    report.key = release_key(rebase(target, profile.base_url), profile) or ""
    page = fetch_page(target)
    report.page_chars = sum(len(p) for p in paragraphs(lxml_html.fromstring(page)))
    if profile.generic:
        sample = [fetch_page(item.url) for item in listed[:SAMPLE_PAGES]]
        template = learn_template(sample)
        if template is None:
            report.notes.append(f"only {len(sample)} pages to learn the template from: using trafilatura")
        titles = TitleIndex(item.title for item in listed if item.title and item.url != target)
        report.extracted = extract_generic(page, profile, template, titles)
    else:
        report.extracted = extract_release(page, profile, target)
    return report


def describe(report: CheckReport) -> list[str]:
    lines = [f"list page: {report.list_url}", f"releases listed: {len(report.listed)}"]
    lines += [f"  {item.key}  {item.listed or '-'}  {item.title}" for item in report.listed[:5]]
    if report.extracted is None:
        return lines + [f"note: {note}" for note in report.notes]
    content = report.extracted.content
    body_chars = len(content.body.replace("\n\n", ""))
    dropped = 1 - body_chars / report.page_chars if report.page_chars else 0
    lines += [
        f"release page: {report.detail_url}",
        f"key: {report.key}",
        f"title: {content.title}",
        f"published: {content.published or '-'}",
        f"hits (observation, not content): {report.extracted.hits if report.extracted.hits is not None else '-'}",
        f"body: {len(content.paragraphs)} paragraphs, {body_chars} characters",
        f"  first: {content.paragraphs[0]}",
        f"  last:  {content.paragraphs[-1]}",
        f"attachments: {len(content.attachments)}",
        *(f"  {a.name} <{a.url}>" for a in content.attachments),
        f"chrome dropped: {report.page_chars - body_chars} of {report.page_chars} characters of page text ({dropped:.0%})",
    ]
    return lines + [f"note: {note}" for note in report.notes]
