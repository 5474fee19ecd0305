"""Terms and named patterns of the website rules, compiled to regular expressions.

A plain term matches its words in order, case-insensitively, ``ё`` = ``е``, each word with
any ending: words of five letters or more lose a common Russian ending first
(``попечительский совет`` → ``попечительск… совет…``, which matches «попечительского совета»),
words of up to three letters match as whole words (``о нас``). Between two words any
punctuation or spaces (up to five characters) may stand. A term written ``re:…`` is a regular
expression, matched case-insensitively.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Common endings of Russian nouns, adjectives and participles, longest first.
_ENDINGS = tuple(sorted(
    """ого его ому ему ыми ими ями ами ией иях ях ах ий ый ой ая яя ое ее ые ие ую юю ей ых их ым им
    ом ем ов ев ам ям ия ие ью ья ье а я о е ы и у ю ь""".split(),
    key=len, reverse=True,
))
_WORD_SPLIT = re.compile(r"[\s\-‐‑‒–—/«»\"'“”„()]+")
SEPARATOR = r"[\W_]{1,5}"

#: Named content patterns (names validated by ``scoring.methodology.DETECT_PATTERNS``).
PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(
        r"(?<![\d\w])(?:\+7|8)[\s\-‑–(]*\d{3,5}[\s\-‑–)]*\d{1,3}[\s\-‑–]*\d{2}[\s\-‑–]*\d{2}(?!\d)"
        r"|(?:тел|телефон|т\.|факс)[^\d\n]{0,12}(?:\(\d{3,5}\)\s*)?\d{1,3}[\s\-‑–]\d{2}[\s\-‑–]\d{2}(?!\d)",
        re.IGNORECASE,
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}", re.IGNORECASE),
    "person_name": re.compile(
        r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|чна|ична|ич|оглы|кызы)\b"
        r"|\b[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\."
        r"|\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]{2,}"
    ),
    "date": re.compile(
        r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b"
        r"|\b\d{1,2}\s+(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+\d{4}",
        re.IGNORECASE,
    ),
    "time": re.compile(r"(?<![\d.])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d.])"),
    "weekday": re.compile(
        r"понедельник|вторник|сред[аыу]\b|четверг|пятниц|суббот|воскресен|\b(?:пн|вт|ср|чт|пт|сб|вс)\b"
        r"|будни|ежедневно|без выходных",
        re.IGNORECASE,
    ),
    "money": re.compile(r"\d[\d\s]*(?:[.,]\d{1,2})?\s*(?:руб|р\.|₽)", re.IGNORECASE),
    "number": re.compile(r"\d+"),
    "question": re.compile(r"\?"),
    "year": re.compile(r"\b(?:19|20)\d{2}\b"),
}


def _stem(word: str) -> str:
    if len(word) < 5:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _word(word: str) -> str:
    stem = _stem(word)
    body = "".join("[её]" if ch in "её" else re.escape(ch) for ch in stem)
    if len(word) <= 3:
        return rf"(?<!\w){body}(?!\w)"
    return rf"(?<!\w){body}\w*"


@lru_cache(maxsize=4096)
def term_regex(term: str) -> str:
    """The regular expression (source) of one term; see the module docstring."""
    if term.startswith("re:"):
        return term[3:]
    words = [w for w in _WORD_SPLIT.split(term.lower().strip()) if w]
    return SEPARATOR.join(_word(w) for w in words) if words else r"(?!)"


@lru_cache(maxsize=4096)
def compile_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``terms`` (None for no terms)."""
    if not terms:
        return None
    return re.compile("|".join(f"(?:{term_regex(t)})" for t in terms), re.IGNORECASE)


def substring_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Terms as plain case-insensitive substrings (links and markers: addresses, class names);
    ``re:`` terms stay regular expressions."""
    if not terms:
        return None
    parts = [t[3:] if t.startswith("re:") else re.escape(t) for t in terms]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)
