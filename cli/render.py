"""Plain-text Russian tables for ``nok score --format table`` and ``nok methodology show``."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from scoring import (
    INTERVAL_SENTENCE,
    RANGE_SENTENCE,
    Interval,
    Methodology,
    RatingRow,
    Result,
    digits_for,
    fmt,
    fmt_with_interval,
)
from scoring.labels import FORM_LABELS, forms_label
from siteaudit import AuditReport, Finding


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], right: int = -1) -> list[str]:
    """Aligned columns; column ``right`` (e.g. the value) is right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = right % len(header)

    def line(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i == right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def result_table(result: Result, methodology: Methodology, source: str = "") -> str:
    """One organization: indicators, criteria and the total (or integral), with formulas; each
    survey-based value with its 95 % interval, «83,4 (78,1–88,0)»."""
    digits = digits_for(result.scale)

    def value(key: str) -> str:
        return fmt_with_interval(result.explain[key].value, result.intervals.get(key), digits)

    out: list[str] = []
    org = result.organization
    if source:
        out.append(f"Файл: {source}")
    if org is not None:
        forms = forms_label(org.forms)
        out.append(f"Организация: {org.name} ({org.type}); формы обслуживания: {forms}")
    out.append(f"Методика: {methodology.slug} — {methodology.title}")
    policy = "перенормировка весов" if result.empty_policy == "renormalize" else "пустое = 0"
    out.append(f"Пустые знаменатели: {policy}")
    out.append("")
    rows: list[tuple[str, ...]] = []
    for crit in methodology.criteria:
        for key in crit.indicators:
            fig = result.explain[key]
            rows.append((key, _short(fig.title, 60), _short(fig.formula, 70), value(key)))
        fig = result.explain[crit.key]
        rows.append((crit.key, _short(f"Итого: {crit.title}", 60), _short(fig.formula, 70),
                     value(crit.key)))
    if result.scale == "integral":
        fig = result.explain["integral"]
        rows.append(("Σ", "Интегральное значение", _short(fig.formula, 70), value("integral")))
    else:
        fig = result.explain["total"]
        rows.append(("Итог", "Итоговый показатель организации", _short(fig.formula, 70),
                     value("total")))
    out.extend(_table(("Код", "Показатель", "Расчёт", "Значение"), rows))
    out.append("")
    out.append(INTERVAL_SENTENCE)
    if result.warnings:
        out.append("")
        out.append("Предупреждения:")
        out.extend(f"  - {w}" for w in result.warnings)
    return "\n".join(out) + "\n"


def place_range(bounds: tuple[int, int] | None) -> str:
    """«1–3», or «2» when the best and worst places coincide; «—» without a range."""
    if bounds is None:
        return "—"
    best, worst = bounds
    return str(best) if best == worst else f"{best}–{worst}"


def rating_table(rows: list[RatingRow], value_title: str, intervals: dict[str, Interval | None],
                 ranges: dict[str, tuple[int, int]], digits: int = 1, rule: str = "") -> str:
    """Rating per organization type: place, possible places, organization, value with its
    95 % interval; those without a place under «недостаточно данных» with the reason; the rule
    used and what the intervals mean, last."""
    out: list[str] = []
    current: str | None = None
    block: list[tuple[str, ...]] = []

    def flush() -> None:
        if current is not None:
            out.append(f"Рейтинг: {current}")
            out.extend(_table(("Место", "Возможные места", "Организация", value_title), block))
            out.append("")

    for row in rows:
        if row.type != current:
            flush()
            current, block = row.type, []
        place = str(row.position) if row.position is not None else "—"
        name = row.name if row.rated else f"{row.name} (недостаточно данных: {'; '.join(row.insufficient)})"
        block.append((place, place_range(ranges.get(row.key)), _short(name, 120),
                      fmt_with_interval(row.value, intervals.get(row.key), digits)))
    flush()
    if rule:
        out.append(f"Правило: {rule}")
    out.extend([RANGE_SENTENCE, INTERVAL_SENTENCE, ""])
    return "\n".join(out)


def methodology_text(m: Methodology) -> str:
    """Criteria, indicators with weights, kinds and forms; checklists and questionnaire size."""
    out = [
        f"{m.slug} — {m.title}",
        f"Шкала: {m.scale}; пустые знаменатели: {m.empty_policy}; "
        f"выборка: не менее {fmt(m.sample.min_share * 100)} % получателей, не более {m.sample.cap}",
        "",
    ]
    for crit in m.criteria:
        out.append(f"{crit.key}. {crit.title}")
        rows = []
        for key in crit.indicators:
            ind = m.indicator(key)
            forms = "все" if ind.forms is None else ", ".join(FORM_LABELS[f] for f in sorted(ind.forms))
            rows.append((f"  {key}", fmt(ind.weight), ind.kind, forms, _short(ind.title, 70)))
        out.extend(_table(("  Код", "Вес", "Вид", "Формы", "Показатель"), rows, right=1))
        out.append("")
    for checklist in m.checklists:
        out.append(f"Чек-лист {checklist.key} ({checklist.kind}, {len(checklist.items)} пунктов): {checklist.title}")
    out.append(f"Анкета: {len(m.questions)} вопросов")
    return "\n".join(out) + "\n"


HOW_RU = {"section": "раздел", "document": "документ", "text": "текст", "link": "ссылка",
          "marker": "элемент страницы"}


def _finding_lines(finding: Finding, copies: Mapping[str, str], width: int = 110) -> list[str]:
    mark = "есть" if finding.found else "нет "
    out = [f"  [{mark}] {_short(finding.label, width)}"]
    for ev in finding.evidence[:2]:
        out.append(f"         {HOW_RU.get(ev.how, ev.how)}: {ev.url}")
        out.append(f"           «{_short(ev.text, width - 12)}»")
        if ev.url in copies:
            out.append(f"           копия: {copies[ev.url]}")
    for note in finding.notes[:2]:
        out.append(f"         ! {_short(note, width - 12)}")
    return out


def site_audit_table(report: AuditReport, methodology: Methodology,
                     copies: Mapping[str, str] | None = None) -> str:
    """The Russian summary of ``nok site-audit --format table``: found/not found per item."""
    pages = [p for p in report.pages if p.kind == "html"]
    documents = [p for p in report.pages if p.is_document]
    failed = [p for p in report.pages if p.kind == "error"]
    found = sum(f.found for f in report.items.values())
    out = [
        f"Сайт: {report.url}",
        f"Методика: {methodology.title}",
        f"Прочитано страниц: {len(pages)}, документов: {len(documents)}, "
        f"не открылись: {len(failed)}, пропущено адресов: {len(report.skipped)}",
        "",
        f"Информация на сайте: найдено {found} из {len(report.items)}",
    ]
    for finding in report.items.values():
        out.extend(_finding_lines(finding, copies or {}))
    channels = sum(f.found for f in report.remote_channels.values())
    out += ["", f"Дистанционные способы взаимодействия: найдено {channels} из "
                f"{len(report.remote_channels)}"]
    for finding in report.remote_channels.values():
        out.extend(_finding_lines(finding, copies or {}))
    if report.site_for_visually_impaired is not None:
        out += ["", "Версия сайта для слабовидящих:"]
        out.extend(_finding_lines(report.site_for_visually_impaired, copies or {}))
    out += ["", "Это предложения: каждый пункт подтверждает оператор, открыв страницу по ссылке."]
    return "\n".join(out) + "\n"
