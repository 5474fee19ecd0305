"""Finding the checklist items on the crawled pages, with evidence.

The detector first reads the site as a whole: the blocks of text repeated on many pages are
its boilerplate (menus and footers of table layouts that carry no semantic tags), pages under
a news address or with «Новости» in their breadcrumbs are news, and links that lead to pages
that failed (404, off-site redirects) are dead. Then, for each item with rules (a
:class:`scoring.Detect`), it collects evidence of five kinds:

``section``
    A page or part of a page *named* by one of the rule's ``headings`` — by its title, its
    first-level heading, its last breadcrumb, the text of a link leading to it, or a heading
    inside it — whose own text (without menus, footers, boilerplate, news items and dead
    links) satisfies every ``content`` group and every named ``pattern`` (or, when the rule
    has neither, holds some real text, a document, an image or a form), contains a form to
    type in when ``form`` is set, and is not a stub («раздел в разработке», an empty page).
    News pages never name a section.
``document``
    A link to a document (PDF, DOCX, DOC, …) that was fetched and opens, whose link text,
    surrounding text, file name or document title matches one of ``documents``.
``text``
    With ``near`` set: every group of ``near.content`` and every ``near.patterns`` matched
    within ``near.within`` characters of each other anywhere on a page that is not news,
    footer included (contacts, schedule, the date of registration next to the founder); lists
    of links (menus) do not count as text.
``link``
    A link whose address contains one of ``links`` (``tel:``, ``mailto:``, ``bus.gov.ru``) on
    a page that is not news and outside news items.
``marker``
    An attribute (class, id, src, href, …) containing one of ``markers`` — how widgets such as
    a version for the visually impaired or the feedback platform show themselves.

A term of ``exclude`` in the name or the document text vetoes that piece of evidence
(«Правила внутреннего *трудового* распорядка» is not the rules for service recipients).
An item is found when it has at least one piece of evidence. Where a named section exists but
fails (a stub, a dead document), the finding carries a note saying so, for the operator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from scoring import Detect, Item
from siteaudit.crawl import Page, normalize
from siteaudit.match import PATTERNS, compile_terms, substring_terms
from siteaudit.parse import Block, Link

#: A name denotes a section only when the term starts within this many characters of it.
NAME_START = 40
NAME_MAX = 150
#: Own text (without the heading) a section needs when its rule asks for no particular words.
MIN_TEXT = 60
#: Text of a page that says it is not ready yet; such a page is a stub below this many chars.
STUB_MAX = 500
EVIDENCE_MAX = 5
FRAGMENT = 240

STUB_RX = re.compile(
    r"(?:(?:раздел|страница|сайт|информация)[\w\s,]{0,30}?\s(?:находит\w*\s+)?в\s+(?:стадии\s+)?"
    r"(?:разработк|наполнени|заполнени|доработк|стадии\s+наполнени|процессе\s+(?:наполнени|разработк))"
    r"|в\s+стадии\s+(?:разработк|наполнени|заполнени)"
    r"|(?:раздел|страница)\s+(?:наполняется|разрабатывается|пуст|не\s+заполнен)"
    r"|информация\s+(?:будет|появится)\s+(?:размещена|опубликована|позже|в\s+ближайшее|скоро)"
    r"|(?:скоро|в\s+ближайшее\s+время)\s+(?:здесь\s+)?(?:появится|будет\s+размещ)"
    r"|страница\s+не\s+найдена|ошибка\s+404|\b404\b.{0,20}не\s+найден"
    r"|under\s+construction|coming\s+soon|ведутся\s+(?:технические\s+)?работы)"
    r"\w*",
    re.IGNORECASE,
)
_NEWS_PATH_RX = re.compile(
    r"/(?:news|novosti|novost|press|press-?cent(?:er|re)|press-?tsentr|sobytiya|events?|blog|"
    r"articles?|stati|meropriyatiya|anonsy?|obyavleniya|announcements?|media|afisha|photo|foto|"
    r"gallery|galereya|fotogalereya)(?:[/_.-]|$)"
    r"|/(?:19|20)\d{2}/\d{1,2}/",
    re.IGNORECASE,
)
_NEWS_CRUMB_RX = re.compile(
    r"^(?:новости|события|объявления|пресс-центр|мероприятия|анонсы|новости и события|"
    r"фотогалерея|блог|статьи)$",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s[|—–-]\s|\s::\s|\s/\s")

KIND_ORDER = {"section": 0, "document": 1, "text": 2, "link": 3, "marker": 4}


@dataclass(frozen=True)
class Evidence:
    """Where an item was found: ``url`` holds the information (the page, or the document),
    ``text`` is the matched fragment, ``via`` the page that links the document or address."""

    url: str
    text: str
    how: str
    via: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"url": self.url, "text": self.text, "how": self.how}
        if self.via:
            out["via"] = self.via
        return out


@dataclass(frozen=True)
class Finding:
    """The outcome for one checklist item: ``found`` iff there is evidence."""

    key: str
    label: str
    found: bool
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()
    rules: bool = True

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "label": self.label,
            "found": self.found,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        if not self.rules:
            out["rules"] = False
        return out


@dataclass
class _PageView:
    page: Page
    news: bool
    own: list[Block]
    names: list[tuple[str, str]]
    full_text: str
    dead_texts: tuple[str, ...]
    doc_links: list[tuple[Link, Page]] = field(default_factory=list)
    targets: dict[int, Page] = field(default_factory=dict)
    boilerplate: set[str] = field(default_factory=set)


def is_news_url(url: str) -> bool:
    """A news, events or gallery address (``/news/…``, ``/novosti/…``, ``/2024/05/…``)."""
    parts = urlsplit(url)
    return bool(_NEWS_PATH_RX.search(unquote(parts.path) + "/"))


class SiteView:
    """The crawled site prepared for detection (boilerplate, news, dead links, documents)."""

    def __init__(self, pages: list[Page]) -> None:
        self.boilerplate: set[str] = set()
        self.pages = pages
        self.by_url: dict[str, Page] = {}
        for page in pages:
            if page.kind != "alias":
                self.by_url.setdefault(normalize(page.final_url), page)
        for page in pages:
            target = self.by_url.get(normalize(page.final_url))
            self.by_url.setdefault(normalize(page.url), target or page)
        html = [p for p in pages if p.kind == "html"]
        counts: Counter[str] = Counter()
        for page in html:
            counts.update({b.text for b in page.parsed.blocks if b.level == 0})
        threshold = max(3, int(0.4 * len(html)) + 1)
        self.boilerplate = {text for text, n in counts.items() if n >= threshold}
        self.views = [self._view(p) for p in html]

    def target(self, link: Link) -> Page | None:
        if not link.url.startswith(("http://", "https://")):
            return None
        return self.by_url.get(normalize(link.url))

    def _view(self, page: Page) -> _PageView:
        crumbs = page.parsed.breadcrumbs
        news = (
            is_news_url(page.final_url)
            or any(_NEWS_CRUMB_RX.match(c.strip()) for c in crumbs[:-1])
            or page.parsed.og_type == "article"
        )
        own = [b for b in page.parsed.blocks if not b.chrome and not b.news
               and (b.level or b.text not in self.boilerplate)]
        names: list[tuple[str, str]] = []
        for part in _TITLE_SPLIT.split(page.parsed.title):
            if part.strip():
                names.append((part.strip(), "заголовок страницы"))
        for block in own:
            if block.level == 1:
                names.append((block.text, "заголовок"))
        if crumbs:
            names.append((crumbs[-1], "навигационная цепочка"))
        for link, _source in page.incoming:
            if link.text and not link.news:
                names.append((link.text, "ссылка"))
        dead: list[str] = []
        docs: list[tuple[Link, Page]] = []
        targets: dict[int, Page] = {}
        for index, link in enumerate(page.parsed.links):
            target = self.target(link)
            if target is None:
                continue
            targets[index] = target
            if not target.ok and link.text:
                dead.append(link.text)
            elif target.is_document:
                docs.append((link, target))
        # what a visitor reads on the page: everything but news items and lists of links
        full = "\n".join(b.text for b in page.parsed.blocks if not b.news and not b.linky)
        return _PageView(page, news, own, names, full, tuple(dead), docs, targets, self.boilerplate)


def _denotes(rx: re.Pattern[str], name: str) -> re.Match[str] | None:
    if len(name) > NAME_MAX:
        return None
    match = rx.search(name)
    return match if match is not None and match.start() <= NAME_START else None


def _fragment(text: str, start: int, end: int) -> str:
    """The matched span with a little context on each side, at most about FRAGMENT characters."""
    lo = max(0, start - 30)
    hi = min(len(text), max(end + 30, lo + FRAGMENT))
    piece = text[lo:hi].replace("\n", " · ")
    return ("…" if lo else "") + piece.strip() + ("…" if hi < len(text) else "")


def _without_dead(text: str, dead: tuple[str, ...]) -> str:
    for label in dead:
        text = text.replace(label, " ")
    return text


class _Rule:
    def __init__(self, detect: Detect) -> None:
        self.detect = detect
        self.headings = compile_terms(detect.headings)
        self.documents = compile_terms(detect.documents)
        self.exclude = compile_terms(detect.exclude)
        self.groups = [rx for g in detect.content if (rx := compile_terms(g)) is not None]
        self.patterns = [PATTERNS[name] for name in detect.patterns]
        self.near = [rx for g in detect.near_content if (rx := compile_terms(g)) is not None]
        self.near += [PATTERNS[name] for name in detect.near_patterns]
        self.links = substring_terms(detect.links)
        self.markers = substring_terms(detect.markers)

    def excluded(self, text: str) -> bool:
        return self.exclude is not None and self.exclude.search(text) is not None

    def content_ok(self, text: str) -> re.Match[str] | None:
        """The first match of the last requirement if every group and pattern matches."""
        last: re.Match[str] | None = None
        for rx in [*self.groups, *self.patterns]:
            last = rx.search(text)
            if last is None:
                return None
        return last


def detect_item(item: Item, site: SiteView) -> Finding:
    """The finding for one checklist item (not found, with a note, when it has no rules)."""
    if item.detect is None:
        return Finding(item.key, item.label, False, (), ("для пункта не заданы правила поиска",),
                       rules=False)
    rule = _Rule(item.detect)
    evidence: list[Evidence] = []
    notes: list[str] = []
    for view in site.views:
        if rule.headings is not None and not view.news:
            evidence.extend(_sections(rule, view, notes))
        if rule.documents is not None:
            evidence.extend(_documents(rule, view, notes))
        if rule.detect.near is not None and not view.news:
            evidence.extend(_near(rule, view))
        if rule.links is not None and not view.news:
            evidence.extend(_links(rule, view))
        if rule.markers is not None:
            evidence.extend(_markers(rule, view))
    unique: dict[tuple[str, str], Evidence] = {}
    texts: set[tuple[str, str]] = set()
    for ev in sorted(evidence, key=lambda e: KIND_ORDER[e.how]):
        if (ev.how, ev.text) in texts:  # the same footer on every page: one is enough
            continue
        texts.add((ev.how, ev.text))
        unique.setdefault((ev.url, ev.how), ev)
    chosen = tuple(list(unique.values())[:EVIDENCE_MAX])
    return Finding(item.key, item.label, bool(chosen), chosen,
                   tuple(dict.fromkeys(notes))[:5] if not chosen else ())


def _is_stub(text: str) -> bool:
    return len(text) < STUB_MAX and STUB_RX.search(text) is not None


def _sections(rule: _Rule, view: _PageView, notes: list[str]) -> list[Evidence]:
    assert rule.headings is not None
    page = view.page
    out: list[Evidence] = []
    for name, _source in view.names:
        match = _denotes(rule.headings, name)
        if match is None or rule.excluded(name):
            continue
        body = [b for b in view.own if b.text != name]
        ev = _section_evidence(rule, view, name, body, 0, len(page.parsed.blocks) + 1, notes)
        if ev is not None:
            out.append(ev)
            return out
    own = view.own
    for i, block in enumerate(own):
        if not block.level or block.level == 1:
            continue
        match = _denotes(rule.headings, block.text)
        if match is None or rule.excluded(block.text):
            continue
        part: list[Block] = []
        for nxt in own[i + 1:]:
            if nxt.level and nxt.level <= block.level:
                break
            part.append(nxt)
        end = part[-1].pos + 1 if part else block.pos + 1
        ev = _section_evidence(rule, view, block.text, part, block.pos, end, notes)
        if ev is not None:
            out.append(ev)
            break
    return out


def _section_evidence(
    rule: _Rule, view: _PageView, name: str, body: list[Block], lo: int, hi: int,
    notes: list[str],
) -> Evidence | None:
    page = view.page
    text = _without_dead("\n".join(b.text for b in body), view.dead_texts)
    if _is_stub(text) or _is_stub(name):
        notes.append(f"раздел «{name}» ({page.final_url}) не заполнен: «{_stub_words(text or name)}»")
        return None
    docs = [d for d in view.doc_links if lo <= d[0].pos <= hi]
    images = [p for p in page.parsed.images if lo <= p <= hi]
    forms = [f for f in page.parsed.forms
             if lo <= f.pos <= hi and not f.chrome and f.text_input and f.fields >= 2]
    if rule.detect.form and not forms:
        notes.append(f"в разделе «{name}» ({page.final_url}) нет формы для обращения")
        return None
    if rule.groups or rule.patterns:
        match = rule.content_ok(text)
        if match is None:
            if len(text.strip()) < 25 and not docs:
                notes.append(f"раздел «{name}» ({page.final_url}) пуст")
            return None
        fragment = _fragment(text, match.start(), match.end())
    else:
        # any real text counts here, news items included (a version for the visually
        # impaired may well be the home page with its news)
        readable = "\n".join(b.text for b in page.parsed.blocks[lo:hi + 1]
                             if not b.chrome and b.text != name and b.text not in view.boilerplate)
        if len(text.strip()) < MIN_TEXT and len(readable) < MIN_TEXT \
                and not docs and not images and not forms:
            notes.append(f"раздел «{name}» ({page.final_url}) пуст")
            return None
        fragment = _fragment(text, 0, 0) if text.strip() else "(форма, документ или изображение)"
    return Evidence(page.final_url, f"{name}: {fragment}", "section")


def _stub_words(text: str) -> str:
    found = STUB_RX.search(text)
    return found.group(0) if found else text[:60]


def _documents(rule: _Rule, view: _PageView, notes: list[str]) -> list[Evidence]:
    assert rule.documents is not None
    out: list[Evidence] = []
    for index, link in enumerate(view.page.parsed.links):
        target = view.targets.get(index)
        if target is None or (target.ok and not target.is_document):
            continue
        name = unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
        own = f"{link.text} {name} {target.parsed.title}"
        matched_on = own
        match = rule.documents.search(own)
        if match is None and link.context:
            matched_on = link.context
            match = rule.documents.search(link.context)
        if match is None or rule.excluded(matched_on):
            continue
        if not target.ok:
            notes.append(f"документ «{link.text or name}» ({link.url}) не открывается: "
                         f"{target.error or 'ошибка'}")
            continue
        label = (link.context if len(link.context) > len(link.text) else link.text) or name
        scan = target.kind == "pdf" and not target.parsed.blocks
        out.append(Evidence(target.final_url,
                            label + (" (текст не извлекается — скан)" if scan else ""),
                            "document", via=view.page.final_url))
    return out


def _near(rule: _Rule, view: _PageView) -> list[Evidence]:
    text = view.full_text
    matchers = rule.near
    assert rule.detect.near is not None
    span = rule.detect.near
    if not matchers:
        return []
    first = matchers[0]
    for anchor in first.finditer(text):
        lo, hi = anchor.start(), anchor.end()
        ok = True
        for rx in matchers[1:]:
            window_lo = max(0, anchor.start() - span)
            window_hi = min(len(text), anchor.end() + span)
            best: tuple[int, int] | None = None
            for m in rx.finditer(text, window_lo, window_hi):
                new_lo, new_hi = min(lo, m.start()), max(hi, m.end())
                if new_hi - new_lo <= span and (best is None or new_hi - new_lo < best[1] - best[0]):
                    best = (new_lo, new_hi)
            if best is None:
                ok = False
                break
            lo, hi = best
        if ok and not rule.excluded(text[lo:hi]):
            return [Evidence(view.page.final_url, _fragment(text, lo, hi), "text")]
    return []


def _links(rule: _Rule, view: _PageView) -> list[Evidence]:
    assert rule.links is not None
    for link in view.page.parsed.links:
        if link.news:
            continue
        href = link.raw_href or link.url
        if rule.links.search(href) or rule.links.search(link.url):
            label = link.text or href
            return [Evidence(view.page.final_url, f"{label} → {href}", "link")]
    return []


def _markers(rule: _Rule, view: _PageView) -> list[Evidence]:
    assert rule.markers is not None
    for marker in view.page.parsed.markers:
        if rule.markers.search(marker.value):
            text = f"<{marker.tag} {marker.attr}=\"{marker.value}\">"
            if marker.text:
                text += f" {marker.text}"
            return [Evidence(view.page.final_url, text, "marker")]
    return []
