"""What a person reads on a page, and the checks that it is Russian: no English words, no
internal keys, numbers agreeing with their nouns. Used by the scan of every page
(test_russian_pages) and by the error pages' tests.

The text is what a browser shows: the elements' text outside scripts and styles, the
``title``, ``aria-label``, ``placeholder`` and ``alt`` attributes, the question a form asks
before it is sent (``data-confirm``), the options of a list, and the values of buttons. Form
values a person typed and addresses are not text to read; neither are identifiers a person
types elsewhere, which the page marks as such: ``<code>`` (a login, a checklist item's code),
``<kbd>`` (a key as printed on the keyboard: j, Esc, Ctrl) and ``translate="no"`` (the field
names of a document template, typed into Word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import lxml.html

HIDDEN = {"script", "style", "template", "noscript", "code", "kbd"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")


def _hidden(element: Any) -> bool:
    return element.tag in HIDDEN or element.get("translate") == "no"



def visible_texts(html: str) -> list[str]:
    """The pieces of text of a page a person reads or hears, whitespace collapsed."""
    document = lxml.html.fromstring(html)
    texts: list[str] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if _hidden(element) or any(_hidden(a) for a in element.iterancestors()):
            if element.tail and not any(_hidden(a) for a in element.iterancestors()):
                texts.append(element.tail)
            continue
        if element.text and element.tag not in {"textarea"}:
            texts.append(element.text)
        for attribute in ATTRIBUTES:
            if element.get(attribute):
                texts.append(element.get(attribute))
        if element.tag == "input" and element.get("type") in {"submit", "button"}:
            texts.append(element.get("value") or "")
        if element.tail:
            texts.append(element.tail)
    title = document.find(".//title")
    if title is not None and title.text:
        texts.append(title.text)
    return [" ".join(t.split()) for t in texts if t and t.strip()]


# Words in Latin letters a Russian page may show, each for a reason:
ALLOWED_LATIN = {
    # names of file formats and of the things a person downloads or scans
    "docx", "xlsx", "xls", "csv", "json", "pdf", "png", "svg", "zip", "txt", "tsv", "ods",
    "html", "qr", "utf", "jpg", "jpeg", "webp",
    # names of programs and services the instructions refer to
    "excel", "word", "libreoffice", "google", "forms", "yandex", "windows",
    # the key a person presses, as printed on it
    "enter",
    # the units and marks of methodology texts: URL of a site, the e-mail field, the sample's n
    "url", "e", "mail", "email", "n", "id",
}
# Latin text that is not a word of the page: an address, an e-mail, a file name, a phone.
NOT_WORDS = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:ru|рф|com|org|example)\b\S*"
    r"|\b[\w.-]+\.(?:docx|xlsx|xls|csv|json|pdf|png|jpg|jpeg|zip|txt|html)\b",
    re.IGNORECASE,
)
LATIN_WORD = re.compile(r"(?<![\w/])[A-Za-z][A-Za-z'-]*(?![\w])")
# Internal keys: snake_case identifiers, «app.model» labels, «key: value» debug texts.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
MODEL_LABEL = re.compile(r"\b[a-z]+\.[a-z]+[a-z_]*\b")
KEY_VALUE = re.compile(r"\b[a-z_]{3,}\s*[:=]\s*\S")


def english_words(text: str) -> list[str]:
    """Latin words of a text that are not on the allow-list (addresses taken out first)."""
    cleaned = NOT_WORDS.sub(" ", text)
    return [w for w in LATIN_WORD.findall(cleaned) if w.lower().strip("'-") not in ALLOWED_LATIN
            and not re.fullmatch(r"[IVXLC]+", w)]  # Roman numerals (раздел II)


def internal_keys(text: str) -> list[str]:
    cleaned = NOT_WORDS.sub(" ", text)
    return SNAKE.findall(cleaned) + MODEL_LABEL.findall(cleaned) + KEY_VALUE.findall(cleaned)


# Nouns counted on the pages, in their three forms: one (1, 21), few (2–4, 22–24), many.
NOUNS: list[tuple[str, str, str]] = [
    ("анкета", "анкеты", "анкет"),
    ("организация", "организации", "организаций"),
    ("вопрос", "вопроса", "вопросов"),
    ("ответ", "ответа", "ответов"),
    ("показатель", "показателя", "показателей"),
    ("критерий", "критерия", "критериев"),
    ("строка", "строки", "строк"),
    ("звонок", "звонка", "звонков"),
    ("получатель", "получателя", "получателей"),
    ("респондент", "респондента", "респондентов"),
    ("жалоба", "жалобы", "жалоб"),
    ("файл", "файла", "файлов"),
    ("страница", "страницы", "страниц"),
    ("пункт", "пункта", "пунктов"),
    ("запись", "записи", "записей"),
    ("день", "дня", "дней"),
    ("балл", "балла", "баллов"),
    ("мероприятие", "мероприятия", "мероприятий"),
]
# Nominative (or accusative) forms only: «из 5 анкет» or «в 2 организациях» are other cases
# and are left alone; the other forms of a noun count as a match only in the table below.
_FORMS = {form: (i, nouns) for nouns in NOUNS for i, form in enumerate(nouns)}
COUNTED = re.compile(
    r"(?<![\d,.:/–-])(\d[\d  ]*)\s+(" + "|".join(sorted(_FORMS, key=len, reverse=True))
    + r")(?![а-яё])"
    + r"|(\d+)\s+(анк)\.", re.IGNORECASE,
)
# Words in front of a number that put the noun in another case (so its form is not checked).
OTHER_CASE = re.compile(r"(?:\bиз|\bот|\bдо|\bпо|\bс|\bсо|\bболее|\bменее|\bбольше|\bменьше"
                        r"|\bне менее|\bне более|\bоколо|\bсвыше|\bкроме|\bв|\bна|\bо|\bк"
                        r"|\bшире|\bуже|\bвыше|\bниже|\bдольше)\s*[±~≈]?\s*$",
                        re.IGNORECASE)


def russian_form(n: int) -> int:
    """0: one (1, 21, 101), 1: few (2–4, 22–24), 2: many (0, 5–20, 25–30, 11–14)."""
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural_mistakes(text: str) -> list[str]:
    """«83 анкет» is right, «1 анкет», «3 анкет» and «5 анкеты» are not; an abbreviation
    after a number («89 анк.») is a mistake too: the word is written in full."""
    mistakes = []
    for match in COUNTED.finditer(text):
        if match.group(3):
            mistakes.append(match.group(0))
            continue
        before = text[:match.start()]
        if OTHER_CASE.search(before):
            continue
        n = int(re.sub(r"\D", "", match.group(1)))
        form, nouns = _FORMS[match.group(2).lower()]
        expected = russian_form(n)
        # The nominative «one» form is also the genitive singular of «few» for some nouns
        # (2 вопроса = genitive of вопрос): compare the words, not the indices.
        if nouns[expected] != match.group(2).lower():
            mistakes.append(match.group(0))
    return mistakes


def problems(texts: Iterable[str]) -> list[str]:
    """Every English word, internal key and wrong plural of the texts, each with its text."""
    found = []
    for text in texts:
        for word in english_words(text):
            found.append(f"English «{word}» in «{text[:160]}»")
        for key in internal_keys(text):
            found.append(f"key «{key}» in «{text[:160]}»")
        for mistake in plural_mistakes(text):
            found.append(f"plural «{mistake}» in «{text[:160]}»")
    return found
