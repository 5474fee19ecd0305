"""The audit of one site against a methodology: crawl, then detect every audited item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scoring import Item, Methodology
from siteaudit.crawl import CrawlSettings, Page, crawl
from siteaudit.detect import Finding, SiteView, detect_item, is_news_url
from siteaudit.match import compile_terms
from siteaudit.parse import Link

SITE_CHECKLIST = "site"
REMOTE_CHECKLIST = "remote_channels"
VI_CHECKLIST = "disabled_services"
VI_ITEM = "site_for_visually_impaired"

PAGE_KINDS = {"html": "страница", "pdf": "PDF", "docx": "DOCX", "file": "файл",
              "error": "ошибка", "alias": "перенаправление"}


@dataclass
class AuditReport:
    """Everything one audit found; ``pages`` keep the fetched bytes (the stored copies)."""

    url: str
    methodology: str
    pages: list[Page]
    skipped: list[tuple[str, str]]
    items: dict[str, Finding]
    remote_channels: dict[str, Finding]
    site_for_visually_impaired: Finding | None
    started_at: datetime
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    requests: int = 0

    def findings(self) -> list[tuple[str, Finding]]:
        """(checklist key, finding) for every audited item, in checklist order."""
        out = [(SITE_CHECKLIST, f) for f in self.items.values()]
        out += [(REMOTE_CHECKLIST, f) for f in self.remote_channels.values()]
        if self.site_for_visually_impaired is not None:
            out.append((VI_CHECKLIST, self.site_for_visually_impaired))
        return out

    def page(self, url: str) -> Page | None:
        for page in self.pages:
            if url in (page.final_url, page.url) and page.kind != "alias":
                return page
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``nok site-audit --format json``."""
        return {
            "url": self.url,
            "methodology": self.methodology,
            "pages": [
                {"url": p.final_url, "requested": p.url, "depth": p.depth, "kind": p.kind,
                 "status": p.status, "title": p.parsed.title, "bytes": len(p.body),
                 "error": p.error}
                for p in self.pages
            ],
            "skipped": [{"url": u, "reason": r} for u, r in self.skipped],
            "items": {k: f.to_dict() for k, f in self.items.items()},
            "remote_channels": {k: f.to_dict() for k, f in self.remote_channels.items()},
            "site_for_visually_impaired": (
                self.site_for_visually_impaired.to_dict()
                if self.site_for_visually_impaired is not None else None
            ),
            "requests": self.requests,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": self.finished_at.isoformat(timespec="seconds"),
        }


def audited_items(methodology: Methodology) -> list[tuple[str, Item]]:
    """(checklist key, item) of every item an audit looks for, in checklist order."""
    out: list[tuple[str, Item]] = []
    keys = {c.key for c in methodology.checklists}
    for key in (SITE_CHECKLIST, REMOTE_CHECKLIST):
        if key in keys:
            out.extend((key, item) for item in methodology.checklist(key).items)
    if VI_CHECKLIST in keys:
        checklist = methodology.checklist(VI_CHECKLIST)
        out.extend((VI_CHECKLIST, i) for i in checklist.items if i.key == VI_ITEM)
    return out


def link_priority(methodology: Methodology) -> Any:
    """The crawler's priority of a link: names of the rules' sections and documents first,
    news last."""
    terms: list[str] = []
    for _, item in audited_items(methodology):
        if item.detect is not None:
            terms.extend(item.detect.headings)
            terms.extend(item.detect.documents)
    wanted: re.Pattern[str] | None = compile_terms(tuple(dict.fromkeys(terms)))

    def priority(link: Link) -> int:
        if is_news_url(link.url) or link.news:
            return -1
        if wanted is not None and (wanted.search(link.text) or wanted.search(link.context)):
            return 2
        return 1 if link.chrome else 0

    return priority


def detect(methodology: Methodology, pages: list[Page]) -> tuple[
    dict[str, Finding], dict[str, Finding], Finding | None
]:
    """The findings of every audited item on already crawled pages."""
    site = SiteView(pages)
    items: dict[str, Finding] = {}
    remote: dict[str, Finding] = {}
    vi: Finding | None = None
    for checklist, item in audited_items(methodology):
        finding = detect_item(item, site)
        if checklist == SITE_CHECKLIST:
            items[item.key] = finding
        elif checklist == REMOTE_CHECKLIST:
            remote[item.key] = finding
        else:
            vi = finding
    return items, remote, vi


def audit(url: str, methodology: Methodology, settings: CrawlSettings | None = None) -> AuditReport:
    """Crawl the site at ``url`` and look for every audited item of ``methodology``.

    Raises :class:`siteaudit.BadAddress`, :class:`siteaudit.UnsafeAddress` or
    :class:`siteaudit.SiteUnreachable` when the site cannot be read at all.
    """
    started = datetime.now(UTC)
    crawled = crawl(url, settings, link_priority(methodology))
    items, remote, vi = detect(methodology, crawled.pages)
    return AuditReport(
        url=crawled.start_url,
        methodology=methodology.slug,
        pages=crawled.pages,
        skipped=crawled.skipped,
        items=items,
        remote_channels=remote,
        site_for_visually_impaired=vi,
        started_at=started,
        requests=crawled.requests,
    )
