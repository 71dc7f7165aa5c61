"""A profile-less site's template: learned from the archive's own captures,
revalidated with one conditional request, sampled afresh only when needed.

Sampling fetches the first releases on the list (8 pages) unconditionally,
so doing it every run made a routine run of a profile-less board cost 7 to
11 requests where a profiled one costs 2 or 3.  Once the archive holds
captures of a site, its template is learned from them instead; the first
listed release is then fetched as any routine run fetches it (conditionally,
within the revisit policy) and checked against it: a 304, or a page that
fits, confirms the template; a page that does not fit means the board was
redesigned, and a fresh sample is fetched and learned from.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from scrapy.http import Response, TextResponse

from crawler.exceptions import DecodeError
from crawler.extract.encoding import decode_page
from crawler.extract.generic import MIN_PAGES, learn_template
from crawler.extract.pages import Listed
from crawler.items import FetchKind, FetchOutcome, Observation
from crawler.middlewares import OffBoard
from crawler.policy.listwalk import SiteWalk
from crawler.policy.plan import ReleaseFetch
from crawler.policy.verdict import Reading
from crawler.sites.profile import SiteProfile
from crawler.spiders.responses import content_type


class Learner(Protocol):
    """What learning needs of a site's crawl (crawler.spiders.walk.SiteCrawl)."""

    id: str
    profile: SiteProfile
    logger: Any
    walk: SiteWalk
    reading: Reading
    recent_pages: list[str]

    async def download(self, step: ReleaseFetch) -> Response: ...
    def fetch_outcome(self, response: Response, key: str, url: str) -> FetchOutcome: ...
    def error(self, key: str | None, observation: Observation, message: str) -> FetchOutcome: ...


async def learn(site: Learner, sample: list[Listed]) -> list[FetchOutcome]:
    """Set the site's template (``site.reading.template``); the outcomes of
    every page fetched for it."""
    if len(site.recent_pages) >= MIN_PAGES:
        site.reading.template = learn_template(site.recent_pages)
        probe = sample[0]
        known = site.walk.known.get(probe.key)
        if known is not None and not site.walk.should_fetch(probe, known):
            return []  # nothing to fetch this run; the template stands until a page says otherwise
        key = known.key if known else probe.key
        response = await site.download(ReleaseFetch(key, probe.url, known))
        outcome = _outcome(site, key, probe.url, response)
        if outcome.kind is not FetchKind.ERROR or "does not look like" not in (outcome.observation.error or ""):
            return [outcome]
        site.logger.info("%s: the release pages no longer fit the learned template: learning it again", site.id)
    return await _sample(site, sample)


async def _sample(site: Learner, sample: list[Listed]) -> list[FetchOutcome]:
    site.walk.scheduled.update(item.key for item in sample)
    responses = await asyncio.gather(
        *(site.download(ReleaseFetch(item.key, item.url)) for item in sample), return_exceptions=True
    )
    pages = []
    for response in responses:
        if isinstance(response, TextResponse) and response.status == 200:
            try:
                pages.append(decode_page(response.body, content_type(response), site.profile.encoding)[0])
            except DecodeError:
                pass
    site.reading.template = learn_template(pages)
    return [_outcome(site, item.key, item.url, response) for item, response in zip(sample, responses)]


def _outcome(site: Learner, key: str, url: str, response: object) -> FetchOutcome:
    if isinstance(response, Response):
        return site.fetch_outcome(response, key, url)
    # A refusal's message is the reason people need; other failures show what they were.
    return site.error(key, Observation(url=url), str(response) if isinstance(response, OffBoard) else repr(response))
