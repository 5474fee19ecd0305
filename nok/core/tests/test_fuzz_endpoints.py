"""Hostile input to every form and import of the site (hypothesis): never a 500, a refusal says
why in Russian, and a refused submission saves nothing.

The addresses come from the URL resolver, their objects from the access matrix's world (so a
new page needs only its access rule there). The forms come from the pages themselves: every
page is opened as the person who uses it (the operator; an anonymous respondent for the public
survey) and every ``<form>`` on it is read with its fields and the values a person would send,
whichever address it posts to (also an address in a ``data-`` attribute: the survey's script
posts its form to autosave). An address no page has a form for gets a made-up one: the fields
(for a write) or query parameters (for a page) seen anywhere on the site.

Each address is sent every attack of ``ATTACKS`` once, its forms taking turns: a plausible
submission with hostile values in some of its fields (NUL characters and lone surrogates in
free text, 200 KB strings, numbers for text and text for numbers, broken UUIDs and ids, missing
fields), and a form with a file field every hostile file once (cp1251 bytes, binary, broken
archives, the hostile workbooks of issue 8 built in ``hostile``, which must be refused).
Hypothesis draws the details (which fields, which values, a field sent twice); derandomized,
the examples are the same on every run.

For every answer: the status is not 500 (the test client re-raises the exception); when the
submission is refused (a status of 400 or more, or an error shown on the page it leads to)
the message is Russian (no English phrase beyond the names of formats) and the row count of
every table is what it was before.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nok.core.services import worker_heartbeat_record
from nok.core.tests import hostile
from nok.core.tests.test_access_matrix import (
    MINISTRY_ACTION,
    ORG_ACTION,
    ORG_FORM,
    PUBLIC,
    SPECS,
    named_patterns,
    url_of,
)
from nok.scores.models import Score

# PostgreSQL only: it is the stricter database (it refuses the NUL characters SQLite stores),
# and running the suite once keeps ``make test`` short (about a minute).
pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the fuzzing suite runs on PostgreSQL, the stricter database"),
]

ENDPOINTS = sorted(named_patterns())


@pytest.fixture(autouse=True)
def _a_worker_is_running(db: None) -> None:
    """As in production, a background-task worker is alive (/healthz then answers 200)."""
    worker_heartbeat_record(worker_id="fuzz", hostname="localhost", pid=1,
                            started_at=timezone.now())
# One example per attack and form (each attack still picks its fields and values at random);
# no shrinking (a failure prints every value drawn, and shrinking a request-level failure
# took minutes); derandomized: the same on every run.
FUZZ = settings(
    max_examples=1, deadline=None, derandomize=True, database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --- the forms of the site, read from its pages --------------------------------------------


@dataclass(frozen=True)
class Field:
    """A form control as the page shows it, and what a person would send through it."""

    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, number, file, date, submit...
    options: tuple[str, ...] = ()  # the values of a select, of radios, of buttons
    plausible: str | None = None  # a value a person would send (None: left out)
    free_text: bool = False  # takes any text (a name, a note), not a number, a date, an option


PLAUSIBLE = {"email": "test@example.ru", "url": "https://example.ru", "number": "1",
             "date": "2025-05-01", "time": "10:00", "datetime-local": "2025-05-01T10:00"}


def _control(control: Any) -> Field:
    """A Field for one input, select, textarea or button: its plausible value is the value
    the page filled in, else the selected or first option, else something a person types."""
    required = control.get("required") is not None
    if control.tag == "select":
        options = tuple(o.get("value", o.text_content()) for o in control.iter("option"))
        chosen = [o.get("value", o.text_content()) for o in control.iter("option")
                  if o.get("selected") is not None]
        first = next((o for o in options if o), "")
        return Field(control.get("name"), "select", options,
                     chosen[0] if chosen else (first if required else ""))
    if control.tag == "textarea":
        return Field(control.get("name"), "textarea", (), control.text_content(), free_text=True)
    if control.tag == "button":
        return Field(control.get("name"), "submit", (control.get("value", ""),),
                     control.get("value", ""))
    kind = (control.get("type") or "text").lower()
    value = control.get("value", "")
    if kind in {"checkbox", "radio"}:
        return Field(control.get("name"), kind, (value,),
                     value if control.get("checked") is not None else None)
    numeric = control.get("inputmode") == "numeric" or control.get("maxlength") == "1"
    if kind == "file":
        return Field(control.get("name"), "file")
    if not value and (required or numeric):
        value = "1" if numeric else PLAUSIBLE.get(kind, "Тест")
    free = kind in {"text", "search", "password", "tel"} and not numeric
    return Field(control.get("name"), kind, (value,) if kind == "hidden" else (), value, free)


@dataclass
class Form:
    target: str  # the URL name the form sends to
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    made_up: bool = False  # for an address no page has a form for: every field seen anywhere

    @property
    def multipart(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


def read_forms(page_url: str, html: str) -> list[tuple[Form, str]]:
    """(form, a path it sends to) for every form of the page: its action, and any address in
    a ``data-`` attribute (the survey's script also posts the form to its autosave address)."""
    document = lxml.html.fromstring(html)
    found = []
    for element in document.iter("form"):
        form = Form(target="", method=(element.get("method") or "get").lower())
        for control in element.iter("input", "select", "textarea", "button"):
            if not control.get("name"):
                continue
            item = _control(control)
            known = form.fields.get(item.name)
            if known is not None:  # radios and buttons of one name: one field, every value
                plausible = known.plausible if known.plausible is not None else item.plausible
                item = Field(item.name, item.kind, known.options + item.options,
                             plausible if item.kind != "submit" else known.plausible,
                             item.free_text)
            form.fields[item.name] = item
        for name, item in form.fields.items():
            if item.kind == "radio" and item.plausible is None:  # a person picks one
                form.fields[name] = replace(item, plausible=item.options[0])
        action = urlsplit(element.get("action") or page_url).path or urlsplit(page_url).path
        found.append((form, action))
        for attribute, value in element.attrib.items():
            if attribute.startswith("data-") and value.startswith("/"):
                posted = Form(target="", method="post", fields=dict(form.fields))
                found.append((posted, urlsplit(value).path))
    return found


# Who uses a page that is not the operator's: the organization's own plan (the world's plan is
# Organization B's, whose user the matrix calls the outsider) and the ministry's decisions.
USED_BY = {ORG_FORM: "outsider", ORG_ACTION: "outsider", MINISTRY_ACTION: "ministry"}


def client_for(name: str, personas: Any, world: dict[str, Any]) -> Client:
    """The person who uses the page: the operator for every staff page, the organization for
    its plan, the ministry for its decisions, the interviewer assigned the world's organization
    for an interviewer's page; for the public survey, an anonymous respondent who pressed
    «Начать» (holds a draft)."""
    client = Client()
    kind = SPECS[name].kind
    if kind == PUBLIC:
        if "code" in SPECS[name].kwargs:
            client.post(url_of("surveys:form", world), {"action": "start"})
    elif SPECS[name].kind in {"interviewer", "interviewer_list"}:
        client.force_login(world["persona_interviewer"])
    else:
        client.force_login(getattr(personas, USED_BY.get(kind, "operator")))
    return client


@dataclass
class Site:
    """What the pages of the site showed to the people who use them."""

    forms: dict[str, list[Form]]  # URL name -> the forms that send to it
    statuses: dict[str, int]  # URL name -> the status of its GET
    pages: set[str]  # URL names that answered with an HTML page
    field_names: list[str]  # every field name of every form
    query_names: list[str]  # every query parameter of every link and GET form


_SITE: list[Site] = []


def site(personas: Any, world: dict[str, Any]) -> Site:
    """Every page of the site opened once, its forms read (the world's objects are the same
    for every test, so the forms are too)."""
    if _SITE:
        return _SITE[0]
    found = Site({name: [] for name in ENDPOINTS}, {}, set(), [], [])
    shapes: set[tuple[str, str, tuple[str, ...]]] = set()
    fields: set[str] = set()
    queries: set[str] = set()
    for name in ENDPOINTS:
        url = url_of(name, world)
        answer = client_for(name, personas, world).get(url)
        found.statuses[name] = answer.status_code
        # A stored copy of an audited site's page is HTML served as a file (streamed): no form.
        if (answer.status_code != 200 or "html" not in answer.get("Content-Type", "")
                or answer.streaming):
            continue
        found.pages.add(name)
        html = body_of(answer).decode()
        for href in lxml.html.fromstring(html).xpath("//a/@href"):
            queries.update(key for key, _ in parse_qsl(urlsplit(href).query))
        for form, path in read_forms(url, html):
            try:
                form.target = resolve(path).view_name
            except Resolver404:
                continue
            fields.update(form.fields)
            if form.method == "get":
                queries.update(form.fields)
            shape = (form.target, form.method, tuple(sorted(form.fields)))
            if form.target in found.forms and shape not in shapes:
                shapes.add(shape)
                found.forms[form.target].append(form)
    found.field_names = sorted(fields - {"csrfmiddlewaretoken"})
    found.query_names = sorted(queries)
    _SITE.append(found)
    return found


# --- hostile values --------------------------------------------------------------------------

def _with(piece: str) -> st.SearchStrategy[str]:
    """Text with ``piece`` somewhere in it."""
    return st.tuples(st.text(max_size=8), st.text(max_size=8)).map(lambda t: t[0] + piece + t[1])


# Every address is sent each attack (``attacks_for``); hypothesis draws the rest: which fields
# are left out or sent twice, where the bad character sits, which file is uploaded.
ATTACKS: dict[str, st.SearchStrategy[str]] = {
    "nul": _with("\x00"),
    "surrogate": st.sampled_from(["\ud800", "\udfff", "\ud83d"]).flatmap(_with),
    "long": st.sampled_from(["x" * 200_000, "я" * 100_000, "1" * 200_000]),
    "numbers": st.one_of(
        st.sampled_from(["0", "-1", "1e309", "NaN", "-inf", "12.5", "1,5", "²", "١٢", "Ⅻ",
                         "99999999999999999999", "2025-02-30", "31.12.9999", "00:61"]),
        st.integers(min_value=-(10**20), max_value=10**20).map(str)),
    "words": st.one_of(
        st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "%00", "\r\n", "../../x",
                         "true", "on", "None", "[]", "{}", "Ёлка"]),
        st.text(st.characters(codec=None, exclude_categories=()), max_size=30)),
    "ids": st.one_of(
        st.sampled_from(["not-a-uuid", "00000000-0000-0000-0000-000000000000", "-1", "0",
                         "999999", "1.5", "{}", "urn:uuid:12345678-1234-5678-1234-567812345678"]),
        st.uuids().map(str)),
    "missing": st.just(""),
}


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


HOSTILE_FILES: list[tuple[str, bytes]] = [
    ("реестр.csv", "Наименование;ИНН\nГБУ;1\n".encode("cp1251") + b"\x98\n"),
    ("реестр.csv", b"\x00\x01\x02binary\xff\xfe\x00"),
    ("ответы.csv", _csv("Отметка времени,Предложения\n2025-05-01 10:00,\"" + "я" * 140_000 + "\"\n")),
    ("ответы.csv", _csv("Вопрос\nда\x00\n")),
    ("ответы.csv", b""),
    ("ответы.txt", _csv("Вопрос\tОтвет\nда\tнет\n", "utf-16")),
    ("ответы.xlsx", b"PK\x03\x04 not really a zip"),
    ("ответы.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ("ответы.xlsx", hostile.small_workbook(b'<row r="1"><c r="A1"><v>1</v></c></row>')),
    ("ответы.xls", b"anything"),
    ("методика.json", b'{"slug": "x\\u0000", "title": "\\ud800"}'),
    ("методика.json", b"[" * 100_000 + b"]" * 100_000),
    ("методика.json", b'{"slug": 1e400}'),
    ("photo.jpg", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("../../etc/passwd", b"root:x:0:0"),
]
HOSTILE_WORKBOOKS = ["far_cell_at_data_path", "sheet_without_r", "shared_strings_bomb",
                     "huge_sheet", "understated_sheet"]
file_values = st.one_of(
    st.sampled_from(HOSTILE_FILES),
    st.sampled_from(HOSTILE_WORKBOOKS).map(
        lambda name: (f"{name}.xlsx", hostile.hostile_workbooks()[name])),
    st.binary(max_size=64).map(lambda data: ("случайный.csv", data)),
)


def _targets(form: Form, attack: str) -> list[Field]:
    """The fields an attack goes for: free text for characters and sizes; numbers, dates and
    options for numbers; options and hidden values for ids."""
    items = [f for f in form.fields.values() if f.kind not in {"file", "submit"}]
    if attack in {"nul", "surrogate", "long", "words"}:
        chosen = [f for f in items if f.free_text or f.kind == "textarea"]
    elif attack == "numbers":
        chosen = [f for f in items if f.kind in {"number", "date", "time", "select", "radio"}
                  or (f.kind == "text" and not f.free_text)]
    elif attack == "ids":
        chosen = [f for f in items if f.kind in {"select", "radio", "hidden", "checkbox"}]
    else:
        chosen = []
    return chosen or items


def payload(data: st.DataObject, form: Form, attack: str) -> list[tuple[str, Any]]:
    """What a person would send through the form, with the attack on some of its fields
    (hypothesis chooses which); «missing» leaves fields out, «own» attacks nothing. A form
    made up for an address without one sends a few of its (many) fields, all attacked."""
    if form.made_up:
        items = list(form.fields.values())
        chosen = data.draw(st.lists(st.sampled_from(items), min_size=1, max_size=4,
                                    unique=True)) if items else []
        return [(f.name, data.draw(ATTACKS["words" if attack == "own" else attack]))
                for f in chosen]
    targets: set[str] = set()
    candidates = _targets(form, attack)
    if attack != "own" and candidates:
        every = data.draw(st.booleans())  # all of them at once, or a few
        targets = {f.name for f in (candidates if every else data.draw(
            st.lists(st.sampled_from(candidates), min_size=1, max_size=3, unique=True)))}
    pairs: list[tuple[str, Any]] = []
    for item in form.fields.values():
        if item.kind == "file":
            pairs.append((item.name, data.draw(file_values)))
        elif attack == "missing" and item.name in targets:
            continue
        elif item.name in targets and attack != "missing":
            pairs.append((item.name, data.draw(ATTACKS[attack])))
        elif item.plausible is not None:
            pairs.append((item.name, item.plausible))
    if pairs and data.draw(st.integers(0, 4)) == 0:  # a field sent twice
        pairs.append(data.draw(st.sampled_from(pairs)))
    return pairs


def encode(pairs: list[tuple[str, Any]], multipart: bool) -> tuple[bytes, str]:
    """The body as a browser (or an attacker) sends it; lone surrogates go out as the bytes
    they stand for (a test client would refuse to encode them)."""
    if not multipart:
        body = urlencode([(k, v) for k, v in pairs if isinstance(v, str)],
                         encoding="utf-8", errors="surrogatepass")
        return body.encode(), "application/x-www-form-urlencoded"
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        disposition = f'form-data; name="{name}"'
        if isinstance(value, tuple):
            filename, content = value
            head = (f'Content-Disposition: {disposition}; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream")
        else:
            head, content = f"Content-Disposition: {disposition}", value.encode(
                "utf-8", "surrogatepass")
        parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode("utf-8", "surrogatepass")
                     + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}")


def send(client: Client, url: str, form: Form, pairs: list[tuple[str, Any]]) -> Any:
    if form.method == "get":
        query = urlencode([(k, v) for k, v in pairs if isinstance(v, str)],
                          encoding="utf-8", errors="surrogatepass")
        return client.get(f"{url}?{query}")
    body, content_type = encode(pairs, form.multipart)
    return client.post(url, data=body, content_type=content_type)


# --- what an answer must be ----------------------------------------------------------------

ERRORS = ("//*[@role='alert'] | //*[contains(concat(' ', @class, ' '), ' errorlist ')]"
          " | //li[contains(@class, 'msg-error')] | //*[contains(@class, 'survey-error')]")
MESSAGES = "//li[contains(@class, 'msg-error')]"  # what a redirect carries to the next page
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Two Latin words in a row are an English phrase, unless they are names of formats or services.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[\s,.:;]+[A-Za-z]{2,})+\b")
NAMES = re.compile(r"\b(?:csv|txt|tsv|xlsx|xlsm|xls|ods|utf|json|nul|excel|windows|google|forms|"
                   r"yandex|pdf|qr|svg|png|jpe?g|webp|zip|https?|www)\b", re.IGNORECASE)
OK_WITHOUT_MESSAGE = {405}  # «method not allowed» is a protocol answer, not a refusal of input


def tables() -> dict[str, int]:
    """Row count of every table (sessions aside: a visit may write its session), in one query."""
    # Sessions come and go with every client; stored scores are a cache of derived figures
    # that any read refreshes (nok.scores.refresh), not something a request saves; a refused
    # login is counted by the brute-force protection, as it must be.
    models = [model for model in apps.get_models()
              if model not in (Session, Score) and model._meta.app_label != "axes"]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def body_of(answer: Any) -> bytes:
    """The answer's body, streamed ones (files served from storage, exports) included; a
    stream is read once and kept."""
    if not getattr(answer, "streaming", False):
        return bytes(answer.content)
    if not hasattr(answer, "nok_body"):
        answer.nok_body = b"".join(answer.streaming_content)
    return bytes(answer.nok_body)


def error_texts(answer: Any, xpath: str = ERRORS) -> list[str]:
    """The error messages of an answer: a JSON ``error``, or the page's error elements."""
    content_type = answer.get("Content-Type", "")
    if "json" in content_type:
        data = json.loads(body_of(answer))
        return [str(data["error"])] if isinstance(data, dict) and data.get("error") else []
    body = body_of(answer)
    if "html" not in content_type or not body.strip():
        return []
    document = lxml.html.fromstring(body.decode())
    return [" ".join(e.text_content().split()) for e in document.xpath(xpath)
            if e.text_content().strip()]


def refused(answer: Any, texts: list[str]) -> bool:
    if answer.status_code >= 400:
        return True
    if "json" in answer.get("Content-Type", ""):
        return json.loads(body_of(answer)).get("saved") is False
    return bool(texts)


def assert_russian(texts: list[str], pairs: list[tuple[str, Any]], where: str) -> None:
    assert texts, f"{where}: refused without a message"
    sent = sorted({v for _, v in pairs if isinstance(v, str) and len(v) > 1}, key=len,
                  reverse=True)
    for text in texts:
        assert CYRILLIC.search(text), f"{where}: message not in Russian: {text[:300]!r}"
        stripped = text
        for value in sent:  # the user's own words quoted back are not the message's language
            stripped = stripped.replace(" ".join(value.split()), " ")
        english = ENGLISH.search(NAMES.sub(" ", stripped))
        assert english is None, f"{where}: English in the message: {text[:300]!r}"


def check_answer(client: Client, answer: Any, before: dict[str, int],
                 pairs: list[tuple[str, Any]], where: str) -> None:
    """No 500; a refusal says why in Russian and leaves every table's row count as it was.
    A redirect is a refusal when the page it leads to shows an error message."""
    assert answer.status_code != 500, where
    if answer.status_code in {301, 302, 303}:
        location = answer["Location"]
        if urlsplit(location).path.startswith("/login/"):
            return
        page = client.get(location)
        assert page.status_code != 500, f"{where} -> {location}"
        texts = error_texts(page, MESSAGES) if "html" in page.get("Content-Type", "") else []
        status = page.status_code
        is_refused = bool(texts)
    else:
        texts = error_texts(answer)
        status = answer.status_code
        is_refused = status not in OK_WITHOUT_MESSAGE and refused(answer, texts)
    if not is_refused:
        return
    assert_russian(texts, pairs, f"{where} ({status})")
    after = tables()
    changed = {label: (before[label], after[label]) for label in before
               if before[label] != after[label]}
    assert not changed, f"{where}: refused, yet rows changed: {changed}"


# --- the tests -------------------------------------------------------------------------------


def send_every_hostile_file(client: Client, url: str, form: Form) -> None:
    """Each hostile file once in the form's first file field, the other fields at plausible
    values: the hostile workbooks (issue 8, item 1) must be refused, with the Russian message."""
    workbooks = {f"{name}.xlsx": content for name, content in hostile.hostile_workbooks().items()}
    upload = next(item.name for item in form.fields.values() if item.kind == "file")
    for filename, content in [*HOSTILE_FILES, *workbooks.items()]:
        pairs = [(item.name, (filename, content)) if item.name == upload else
                 (item.name, item.plausible) for item in form.fields.values()
                 if item.name == upload or (item.kind != "file" and item.plausible is not None)]
        before = tables()
        answer = send(client, url, form, pairs)
        where = f"POST {url} [file {filename}]"
        check_answer(client, answer, before, pairs, where)
        if filename in workbooks:
            texts = error_texts(answer)
            assert refused(answer, texts), f"{where}: a hostile workbook was accepted"


WRITES = {"read_write", "operator", "action", "operator_action", "list_write", "operator_list",
          ORG_FORM, ORG_ACTION, MINISTRY_ACTION, "org_write", "interviewer"}


def plan(name: str, found: Site) -> list[Form]:
    """The forms to send to an address: its own, and for a page also a query string of the
    parameters seen anywhere on the site; for an address without a form that writes, a POST
    of fields seen anywhere."""
    query = Form(name, "get", {n: Field(n, "text") for n in found.query_names}, made_up=True)
    if found.forms[name]:
        return [*found.forms[name], query] if name in found.pages else found.forms[name]
    if SPECS[name].kind in WRITES or found.statuses.get(name) == 405:
        return [Form(name, "post", {n: Field(n, "text") for n in found.field_names}, made_up=True)]
    return [query]


@pytest.mark.django_db
class FuzzTests:
    def test_every_address_of_the_site_is_reachable_for_the_fuzzer(self, personas, world) -> None:
        """Each address is built from the access matrix's world and opens without a 500 for
        the person who uses it; the forms of the imports are found on their pages."""
        unbuilt = [name for name in ENDPOINTS if name not in SPECS]
        assert not unbuilt, f"no access rule (SPECS) to build these addresses: {unbuilt}"
        found = site(personas, world)
        assert not [name for name, status in found.statuses.items() if status >= 500]
        # The registry import, the survey import and the methodology upload (by their field,
        # not their address: addresses move between apps).
        uploads = sorted(name for name, forms in found.forms.items()
                         if any(f.multipart and "file" in f.fields for f in forms))
        assert len(uploads) >= 3, f"the upload forms were not found on their pages: {uploads}"

    @pytest.mark.parametrize("name", ENDPOINTS)
    def test_hostile_input_never_answers_500_and_a_refusal_saves_nothing(
        self, name, personas, world
    ) -> None:
        found = site(personas, world)
        forms = plan(name, found)
        url = url_of(name, world)
        operator = client_for(name, personas, world) if SPECS[name].kind != PUBLIC else None
        download = found.statuses[name] == 200 and name not in found.pages  # PDF, PNG, XLSX
        # A download is slow to make: it gets the attacks on the parameters it may read.
        attacks = ["nul", "numbers", "words"] if download else [*ATTACKS, "own"]
        for index in range(max(len(forms), len(attacks))):
            form, attack = forms[index % len(forms)], attacks[index % len(attacks)]
            where = f"{form.method.upper()} {url} [{attack}]"
            self.fuzzer(name, url, form, attack, where, personas, world, operator)()
        multipart = next((form for form in forms if form.multipart), None)
        if multipart is not None:
            send_every_hostile_file(operator or client_for(name, personas, world), url, multipart)

    @staticmethod
    def fuzzer(name: str, url: str, form: Form, attack: str, where: str, personas: Any,
               world: dict[str, Any], operator: Client | None) -> Any:
        @FUZZ
        @given(st.data())
        def submit(data: st.DataObject) -> None:
            pairs = payload(data, form, attack)
            client = operator or client_for(name, personas, world)
            before = tables()
            answer = send(client, url, form, pairs)
            check_answer(client, answer, before, pairs, where)

        return submit
