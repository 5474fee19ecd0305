"""Texts with a number take the Russian form the number needs (1 анкета, 2 анкеты, 5 анкет),
from the catalogue in locale/ru — compiled, and holding every text the templates count with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COUNTED = re.compile(r"{%\s*blocktranslate count (\w+)=[^%]*%}(.*?){%\s*plural\s*%}", re.S)


def catalogue_msgids() -> set[str]:
    text = PO.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'msgid ((?:"[^"]*"\s*)+)msgid_plural', text):
        ids.add("".join(re.findall(r'"([^"]*)"', block)))
    return ids


def test_every_counted_text_of_the_templates_is_in_the_catalogue() -> None:
    known = catalogue_msgids()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for _name, singular in COUNTED.findall(template.read_text(encoding="utf-8")):
            msgid = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", singular)
            assert msgid in known, f"{template}: «{msgid}» is not in {PO} (make messages)"


def test_every_entry_has_its_four_forms() -> None:
    text = PO.read_text(encoding="utf-8")
    entries = text.count("msgid_plural")
    for form in range(4):
        assert len(re.findall(rf'msgstr\[{form}\] "[^"]+', text)) == entries


@pytest.mark.parametrize(("n", "words"), [
    (1, "нужна ещё 1 анкета"), (2, "нужны ещё 2 анкеты"), (4, "нужны ещё 4 анкеты"),
    (5, "нужно ещё 5 анкет"), (11, "нужно ещё 11 анкет"), (12, "нужно ещё 12 анкет"),
    (21, "нужна ещё 21 анкета"), (22, "нужны ещё 22 анкеты"), (111, "нужно ещё 111 анкет"),
])
def test_the_compiled_catalogue_gives_the_russian_form(n: int, words: str) -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}Чтобы интервал сузился до ±2 баллов, "
        "нужна ещё {{ n }} анкета (при тех же долях ответов).{% plural %}Чтобы интервал "
        "сузился до ±2 баллов, нужно ещё {{ n }} анкет (при тех же долях ответов)."
        "{% endblocktranslate %}")
    with translation.override("ru"):
        assert words in template.render(Context({"n": n}))
