"""Turning fetched bytes into text: HTML pages (lxml), PDF (pypdf) and DOCX (python-docx).

An HTML page becomes a :class:`ParsedPage`: its title, a sequence of text blocks in document
order (headings keep their level), its links with their text and context, its forms and images,
and the attribute values where accessibility widgets leave their marks. Each block and link
knows whether it sits in the page's chrome (header, footer, navigation, sidebars) or inside a
news item, because the detector treats those differently.

The encoding of an HTML page is a byte order mark if there is one; otherwise the first that
decodes the bytes without error of: the charset of the Content-Type header, a ``<meta
charset>`` or ``<meta http-equiv="Content-Type">`` found by parsing the bytes, UTF-8; and
finally windows-1251 (the usual legacy encoding of Russian sites, which decodes anything).

Old sites reach their pages through ``<meta http-equiv="refresh">`` and frames: both count as
links of the page.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import docx
import lxml.etree
import lxml.html
import pypdf
import pypdf.errors

#: Pages of a PDF read for text: statutes and plans are long, the first pages name them.
PDF_PAGES = 40

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: A short block all in bold (<b>, <strong>) counts as a heading of this level.
PSEUDO_HEADING = 6
PSEUDO_HEADING_MAX = 120
#: The context of a link (its row, list item or paragraph) is kept up to this length.
CONTEXT_MAX = 300
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "td", "th", "dt", "dd", "tr", "table", "ul", "ol", "dl", "section", "article",
    "header", "footer", "nav", "aside", "main", "blockquote", "pre", "address", "caption", "form",
    "fieldset", "legend", "label", "figure", "figcaption", "body", "center", "br", "hr", "option",
    "select", "textarea", "button", *HEADINGS,
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
_CHROME_TAGS = frozenset({"header", "footer", "nav", "aside"})
# class/id fragments of menus, headers, footers and sidebars in common CMS themes (Bitrix,
# Joomla, WordPress, hand-made table layouts)
_CHROME_RX = re.compile(
    r"(^|[\s_-])(menu|nav|navbar|navigation|header|footer|sidebar|side-bar|aside|leftcol|rightcol|"
    r"left-col|right-col|breadcrumbs?|topline|top-line|bottom|copyright|mainmenu|submenu)"
    r"($|[\s_\d-])",
    re.IGNORECASE,
)
_NEWS_RX = re.compile(
    r"(^|[\s_-])(news|novost\w*|news-item|news-list|post|blog\w*|event\w*|anons\w*|announce\w*|"
    r"press\w*|article|entry|item-page-news)($|[\s_\d-])",
    re.IGNORECASE,
)
_BREADCRUMB_RX = re.compile(r"breadcrumb|kroshk|pathway", re.IGNORECASE)
_MARKER_ATTRS = ("class", "id", "src", "href", "onclick", "data-target", "data-action", "title",
                 "aria-label", "rel", "name")
_DOC_EXT = (".pdf", ".docx", ".doc", ".rtf", ".odt", ".xls", ".xlsx", ".ods")
_CHARSET_RX = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_NON_WORD_RX = re.compile(r"[\W_]+")
_SPACE_RX = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Block:
    """A run of text between block boundaries; ``level`` 1..6 for headings (6 also for a short
    block all in bold, the heading of sites without heading tags), 0 otherwise."""

    pos: int
    text: str
    level: int = 0
    chrome: bool = False
    news: bool = False
    #: the block is nothing but web links (a menu entry, a list of pages or documents)
    linky: bool = False


@dataclass(frozen=True)
class Link:
    """``<a href>``: the absolute URL (fragment dropped), its text, and the text of its block."""

    pos: int
    url: str
    text: str
    context: str
    chrome: bool = False
    news: bool = False
    raw_href: str = ""


@dataclass(frozen=True)
class Form:
    """A ``<form>`` and whether a visitor can type in it (a textarea or a text/e-mail field)."""

    pos: int
    fields: int
    text_input: bool
    chrome: bool = False


@dataclass(frozen=True)
class Marker:
    """An attribute value on an element (class, id, src, href, …) — where widgets leave marks."""

    tag: str
    attr: str
    value: str
    text: str


@dataclass
class ParsedPage:
    """The readable content of one HTML page or document (documents have blocks only)."""

    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    images: list[int] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    breadcrumbs: list[str] = field(default_factory=list)
    encoding: str = ""
    og_type: str = ""

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def clean(text: str) -> str:
    """Whitespace collapsed (non-breaking and odd spaces too), trimmed."""
    return _SPACE_RX.sub(" ", text).replace(" \n", "\n").strip()


def _letters(text: str) -> str:
    """Only letters and digits: «Главная | Контакты» and «Главная Контакты» are the same menu."""
    return _NON_WORD_RX.sub("", text)


def is_document_url(url: str) -> bool:
    """A link that points to a document file by its extension (PDF, DOCX, DOC, RTF, …)."""
    return urlsplit(url).path.lower().endswith(_DOC_EXT)


# -- encoding --------------------------------------------------------------------------------


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def header_charset(content_type: str) -> str | None:
    """The charset named in a Content-Type header, if Python knows it."""
    found = _CHARSET_RX.search(content_type or "")
    return _known(found.group(1)) if found else None


def _meta_charset(body: bytes) -> str | None:
    """The charset declared by a <meta> element, read by lxml from the first 64 KB."""
    try:
        root = lxml.html.fromstring(body[:65536].decode("ascii", errors="replace"))
    except (lxml.etree.ParserError, ValueError):
        return None
    for value in root.xpath("//meta/@charset"):
        enc = _known(str(value))
        if enc:
            return enc
    for meta in root.xpath("//meta[@http-equiv]"):
        if str(meta.get("http-equiv", "")).lower() == "content-type":
            enc = header_charset(str(meta.get("content", "")))
            if enc:
                return enc
    return None


def decode_html(body: bytes, content_type: str) -> tuple[str, str]:
    """The page's text and the encoding used (see the module docstring for the order)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    for candidate in (header_charset(content_type), _meta_charset(body), "utf-8"):
        if candidate:
            try:
                return body.decode(candidate), candidate
            except UnicodeDecodeError:
                continue  # a wrong declaration: a windows-1251 page served as UTF-8
    return body.decode("cp1251", errors="replace"), "cp1251"


# -- HTML ------------------------------------------------------------------------------------


class _Walker:
    """Walks the lxml tree once, emitting blocks, links, forms, images and markers in order."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.page = ParsedPage()
        self.buffer: list[str] = []
        self.buffer_flags = (0, False, False)
        self.pending_links: list[tuple[str, str, str, bool, bool]] = []
        self.bold = 0
        self.bold_text: list[str] = []
        self.contexts: list[str] = []

    def add(self, text: str) -> None:
        self.buffer.append(text)
        if self.bold:
            self.bold_text.append(text)

    def flush(self) -> None:
        text = clean("".join(self.buffer))
        level, chrome, news = self.buffer_flags
        if text:
            linky = bool(self.pending_links) and all(
                link[0].startswith(("http://", "https://")) for link in self.pending_links
            ) and _letters(" ".join(link[1] for link in self.pending_links)) == _letters(text)
            if not level and not linky and len(text) <= PSEUDO_HEADING_MAX \
                    and clean("".join(self.bold_text)) == text:
                # <b>Режим работы</b><br> on a site without headings: a heading all the same
                level = PSEUDO_HEADING
            self.page.blocks.append(Block(len(self.page.blocks), text, level, chrome, news, linky))
        pos = len(self.page.blocks) - 1 if text else len(self.page.blocks)
        for (url, link_text, raw, l_chrome, l_news), context in zip(
            self.pending_links, self.contexts, strict=True
        ):
            if not context:
                context = text if len(text) <= CONTEXT_MAX else link_text
            self.page.links.append(Link(pos=max(pos, 0), url=url, text=link_text,
                                        context=context, chrome=l_chrome, news=l_news,
                                        raw_href=raw))
        self.buffer = []
        self.bold_text = []
        self.pending_links = []
        self.contexts = []

    def walk(self, el: Any, level: int, chrome: bool, news: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            self._markers(el, tag)
            self.add(" ")
            return
        if not tag:  # comments, processing instructions
            if el.tail:
                self.add(el.tail)
            return
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        chrome = chrome or tag in _CHROME_TAGS or bool(_CHROME_RX.search(attrs))
        news = news or (tag == "article") or bool(_NEWS_RX.search(attrs))
        if _BREADCRUMB_RX.search(attrs):
            crumbs = [clean(t) for t in el.xpath(".//a//text() | .//span//text() | .//li//text()")]
            self.page.breadcrumbs = [c for c in crumbs if c and c not in ("/", "»", ">", "→")]
        self._markers(el, tag)
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            self.buffer_flags = (HEADINGS.get(tag, 0) or level, chrome, news)
        if tag == "img":
            self.page.images.append(len(self.page.blocks))
            alt = el.get("alt", "")
            if alt:
                self.add(f" {alt} ")
        elif tag == "form":
            fields = el.xpath(".//input[not(@type='hidden')] | .//textarea | .//select")
            typed = el.xpath(
                ".//textarea | .//input[not(@type) or @type='text' or @type='email' or @type='tel']"
            )
            self.page.forms.append(Form(len(self.page.blocks), len(fields), bool(typed), chrome))
        if tag == "a" and el.get("href") is not None:
            self._link(el, chrome, news)
            if el.tail:
                self.add(el.tail)
            return
        strong = tag in ("b", "strong")
        self.bold += strong
        if el.text:
            self.add(el.text)
        child_level = HEADINGS.get(tag, level)
        for child in el:
            self.walk(child, child_level, chrome, news)
        self.bold -= strong
        if block:
            self.flush()
            self.buffer_flags = (level, chrome, news)
        if el.tail:
            self.add(el.tail)

    def _link(self, el: Any, chrome: bool, news: bool) -> None:
        raw = str(el.get("href", "")).strip()
        parts = [clean(t) for t in el.itertext()]
        alts = [clean(str(a)) for a in el.xpath(".//img/@alt")]
        text = clean(" ".join(p for p in parts + alts if p)) or clean(el.get("title", ""))
        self.add(f" {text} ")
        for child in el:
            self._markers(child, child.tag if isinstance(child.tag, str) else "")
        try:
            url = urljoin(self.base, raw).split("#", 1)[0]
        except ValueError:
            return
        self.pending_links.append((url, text, raw, chrome, news))
        self.contexts.append(_context(el))

    def _markers(self, el: Any, tag: str) -> None:
        for attr in _MARKER_ATTRS:
            value = el.get(attr)
            if value:
                text = clean(" ".join(el.itertext()))[:120] if tag not in _SKIP_TAGS else ""
                self.page.markers.append(Marker(tag, attr, str(value)[:300], text))


def _context(link: Any) -> str:
    """The text around a link that names what it points to: its table row (a document list
    as «Устав | скачать»), list item or paragraph; empty when the link stands alone."""
    for ancestor in link.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("td", "th", "span", "b", "strong", "i", "em", "font", "small"):
            continue
        if tag in ("tr", "li", "p", "dd", "dt", "h2", "h3", "h4", "h5", "h6", "label"):
            text = " ".join(" ".join(ancestor.itertext()).split())
            return text if len(text) <= CONTEXT_MAX else ""
        return ""
    return ""


def parse_html(body: bytes, url: str, content_type: str = "") -> ParsedPage:
    """Blocks, links, forms and markers of an HTML page (never raises on bad markup)."""
    text, encoding = decode_html(body, content_type)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return ParsedPage(encoding=encoding)
    base = url
    for href in root.xpath("//base/@href"):
        base = urljoin(url, str(href))
        break
    walker = _Walker(base)
    body_el = root.find("body")
    walker.walk(body_el if body_el is not None else root, 0, False, False)
    walker.flush()
    page = walker.page
    page.encoding = encoding
    titles = root.xpath("//title//text()")
    page.title = clean(" ".join(str(t) for t in titles))
    for value in root.xpath("//meta[@property='og:type']/@content"):
        page.og_type = str(value).lower()
    for script in root.xpath("//script[@src] | //link[@href] | //iframe[@src]"):
        walker._markers(script, str(script.tag))
    for target in _hidden_links(root):
        try:
            page.links.append(Link(pos=0, url=urljoin(base, target).split("#", 1)[0], text="",
                                   context="", raw_href=target))
        except ValueError:
            continue
    return page


_REFRESH_RX = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", re.IGNORECASE)


def _hidden_links(root: Any) -> list[str]:
    """Addresses a page leads to without <a>: a meta refresh, frames and inline frames."""
    out: list[str] = []
    for meta in root.xpath("//meta[@http-equiv]"):
        if str(meta.get("http-equiv", "")).lower() == "refresh":
            found = _REFRESH_RX.search(str(meta.get("content", "")))
            if found:
                out.append(found.group(1))
    out.extend(str(src).strip() for src in root.xpath("//frame/@src | //iframe/@src"))
    return [target for target in out if target]


# -- documents -------------------------------------------------------------------------------


class DocumentError(Exception):
    """A document could not be read (damaged, encrypted, not what its name says)."""


def _blocks(lines: list[str]) -> ParsedPage:
    page = ParsedPage()
    for line in lines:
        text = clean(line)
        if text:
            page.blocks.append(Block(len(page.blocks), text))
    return page


def parse_pdf(body: bytes) -> ParsedPage:
    """The text of the first :data:`PDF_PAGES` pages (a scan yields no blocks, which is fine)."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        lines: list[str] = []
        for pdf_page in reader.pages[:PDF_PAGES]:
            lines.extend((pdf_page.extract_text() or "").splitlines())
        title = ""
        meta = reader.metadata
        if meta is not None and meta.title:
            title = clean(str(meta.title))
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, OSError,
            NotImplementedError, RecursionError, AttributeError, IndexError) as exc:
        raise DocumentError(f"не удалось прочитать PDF ({type(exc).__name__})") from None
    page = _blocks(lines)
    page.title = title
    return page


def parse_docx(body: bytes) -> ParsedPage:
    """Paragraphs and table cells of a DOCX file."""
    try:
        document = docx.Document(io.BytesIO(body))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
        title = clean(document.core_properties.title or "")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, lxml.etree.XMLSyntaxError) as exc:
        raise DocumentError(f"не удалось прочитать DOCX ({type(exc).__name__})") from None
    page = _blocks(lines)
    page.title = title
    return page
