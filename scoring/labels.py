"""Russian labels of the core's vocabulary — one place for every page, table and document:
service forms, sources of information, empty-denominator policies, scales."""

from __future__ import annotations

FORM_LABELS: dict[str, str] = {
    "stationary": "стационарная", "semi_stationary": "полустационарная", "home": "надомная",
}
"""Service form → its adjective («стационарная форма обслуживания»)."""

FORM_COLUMNS: dict[str, str] = {
    "stationary": "Стационар", "semi_stationary": "Полустационар", "home": "На дому",
}
"""Service form → the column heading of the control protocol (seed 000)."""

SOURCE_LABELS: dict[str, str] = {
    "observation": "наблюдение", "site": "мониторинг сайта", "survey": "опрос",
    "calls": "контрольные звонки", "documents": "документы организации",
    "external": "внешние источники",
}

POLICY_LABELS: dict[str, str] = {
    "renormalize": "показатель без данных исключается, веса остальных показателей критерия "
                   "пересчитываются до суммы 1",
    "zero": "показатель без данных считается равным 0",
}

SCALE_LABELS: dict[str, str] = {
    "criteria-100": "критерии К1–К5, 100 баллов", "integral": "интегральное значение",
}


QUESTION_TYPES: dict[str, str] = {"yes_no": "да/нет", "choice": "выбор", "text": "свободный ответ"}

INPUT_LABELS: dict[str, str] = {
    "present": "имеется", "missing": "отсутствует", "required": "требуется",
    "asked": "ответили на вопрос", "yes": "ответили «да»", "stand": "стенды", "site": "сайт",
    "points": "баллов за условие", "cap": "максимум", "weights": "веса", "value": "значение",
    "weight": "вес", "respondents": "респондентов", "policy": "пустые знаменатели",
    "measured": "измерено", "forms": "формы обслуживания",
}
"""The inputs of a figure's explanation (``Result.explain[...]["inputs"]``) by their names."""


def source_label(source: str) -> str:
    """An indicator's source in Russian: ``"observation+site"`` → «наблюдение, мониторинг сайта»."""
    parts = [p.strip() for p in source.replace(",", "+").split("+") if p.strip()]
    return ", ".join(SOURCE_LABELS.get(p, p) for p in parts)


def forms_label(forms: tuple[str, ...] | list[str]) -> str:
    """«полустационарная, надомная»; «—» for none."""
    return ", ".join(FORM_LABELS.get(f, f) for f in forms) or "—"
