"""`nok report` — the campaign's documents from assessment files, without a server.

    nok report protocol FILE -o OUT.docx|OUT.pdf
    nok report rating FILE|DIR... -o OUT.xlsx|OUT.docx
    nok report region FILE|DIR... -o OUT.docx|OUT.pdf [--previous FILE|DIR...]
    nok report plan FILE -o OUT.xlsx|OUT.docx [--layout official|seed002]

Common options: --methodology (a region's own file), --template (a region's DOCX template, checked
first), --campaign/--region/--year/--operator/--ministry (what the header prints; a campaign
export gives its own title and period). Files are assessment files (METHODOLOGY.md §6) or campaign
exports. Every file is read and validated before anything is written; the document is written to
a temporary file beside OUT and renamed, so a failure leaves no partial OUT. Bad input: a Russian
message naming the file and the field, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import documents
import scoring
from cli.cases import BadInput, Case, load_methodology_arg, read_cases
from documents.text import count

FORMATS = {
    "protocol": (".docx", ".pdf"),
    "rating": (".xlsx", ".docx"),
    "region": (".docx", ".pdf"),
    "plan": (".xlsx", ".docx"),
}


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="документы: протокол, рейтинг, сводный отчёт, план")
    rsub = report.add_subparsers(dest="document", required=True)
    helps = {
        "protocol": "протокол организации (DOCX или PDF) по файлу оценки",
        "rating": "рейтинг по типам организаций (XLSX или DOCX)",
        "region": "сводный отчёт по региону с проектом приказа (DOCX или PDF)",
        "plan": "проект плана по устранению недостатков (XLSX или DOCX)",
    }
    for name, text in helps.items():
        p = rsub.add_parser(name, help=text)
        many = name in ("rating", "region")
        p.add_argument("files", nargs="+" if many else 1, metavar="FILE|DIR" if many else "FILE")
        p.add_argument("-o", "--output", required=True, metavar="OUT",
                       help=f"файл документа: {' или '.join(FORMATS[name])}")
        p.add_argument("--methodology", metavar="PATH", help="файл методики региона (JSON/YAML)")
        p.add_argument("--template", metavar="DOCX",
                       help="свой шаблон DOCX (проверяется перед использованием)")
        p.add_argument("--campaign", default="", help="название оценки для заголовка")
        p.add_argument("--region", default="", help="регион")
        p.add_argument("--year", type=int, default=None, help="год оценки")
        p.add_argument("--operator", default="", help="организация-оператор")
        p.add_argument("--ministry", default="", help="уполномоченный орган (в проекте приказа — в родительном падеже)")
        if name == "region":
            p.add_argument("--previous", nargs="+", default=[], metavar="FILE|DIR",
                           help="файлы предыдущей оценки для сравнения по годам")
        if name == "plan":
            p.add_argument("--layout", choices=("official", "seed002"), default="official",
                           help="official — форма плана с графами исполнения; seed002 — критерий, "
                                "замечание, мероприятие, результат")


def run(args: argparse.Namespace) -> str:
    """Build and write the document; returns the one-line summary printed on success."""
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in FORMATS[args.document]:
        raise BadInput([f"{out}: формат «{suffix or 'без расширения'}» не поддерживается для "
                        f"«nok report {args.document}» (допустимо: {', '.join(FORMATS[args.document])})"])
    if not out.parent.exists():
        raise BadInput([f"{out}: каталог «{out.parent}» не существует"])
    template = _template(args, suffix)
    override = load_methodology_arg(args.methodology)[0] if args.methodology else None
    cases = read_cases(args.files, override, progress=True)
    methodology = _one_methodology(cases)
    assessed = [_assessed(c) for c in cases]
    campaign = _campaign(args, methodology, cases)
    kind = args.document
    render: Callable[[], bytes]
    if kind in ("protocol", "plan") and len(cases) != 1:
        raise BadInput([f"{args.files[0]}: для «nok report {kind}» нужен файл одной организации, "
                        f"а в нём {len(cases)}"])
    if kind == "protocol":
        a = assessed[0]
        protocol = documents.build_protocol(methodology, a, campaign)
        render = (lambda: documents.render_protocol_pdf(protocol)) if suffix == ".pdf" else (
            lambda: documents.render_protocol_docx(protocol, template))
    elif kind == "rating":
        rating = documents.build_rating(methodology, assessed, campaign)
        render = (lambda: documents.render_rating_xlsx(rating)) if suffix == ".xlsx" else (
            lambda: documents.render_rating_docx(rating, template))
    elif kind == "region":
        earlier = read_cases(args.previous, override, progress=True) if args.previous else []
        if earlier and _one_methodology(earlier).slug != methodology.slug:
            raise BadInput([f"--previous: предыдущая оценка рассчитана по методике "
                            f"«{earlier[0].methodology.slug}», а текущая — «{methodology.slug}»"])
        previous = [_assessed(c) for c in earlier]
        region = documents.build_region(methodology, assessed, campaign, previous=previous,
                                        previous_campaign=documents.Campaign.of(methodology))
        render = (lambda: documents.render_region_pdf(region)) if suffix == ".pdf" else (
            lambda: documents.render_region_docx(region, template))
    else:
        plan = documents.build_plan(methodology, assessed[0], campaign)
        render = (lambda: documents.render_plan_xlsx(plan, layout=args.layout)) if suffix == ".xlsx" \
            else (lambda: documents.render_plan_docx(plan, template, layout=args.layout))
    write_atomically(out, render())
    return f"Записано: {out} ({_summary(kind, len(cases))})\n"


def _summary(kind: str, n: int) -> str:
    if kind == "protocol":
        return "протокол организации"
    if kind == "plan":
        return "проект плана организации"
    return count(n, "организация", "организации", "организаций")


def _template(args: argparse.Namespace, suffix: str) -> bytes | None:
    if not getattr(args, "template", None):
        return None
    path = Path(args.template)
    if suffix != ".docx":
        raise BadInput([f"{path}: шаблон DOCX применяется только к документу .docx"])
    try:
        data = path.read_bytes()
    except OSError:
        raise BadInput([f"{path}: файл шаблона не найден или не читается"]) from None
    kind = "plan_seed002" if args.document == "plan" and args.layout == "seed002" else args.document
    problems = documents.validate_template(kind, data)
    if problems:
        raise BadInput([f"{path}: {p}" for p in problems])
    return data


def _one_methodology(cases: list[Case]) -> scoring.Methodology:
    slugs = sorted({c.methodology.slug for c in cases})
    if len(slugs) > 1:
        raise BadInput([f"документ строится по одной методике, а в файлах: {', '.join(slugs)}"])
    return cases[0].methodology


def _assessed(case: Case) -> documents.Assessed:
    registry = documents.Registry.of(case.inp, inn=str(case.registry.get("inn") or ""),
                                     municipality=str(case.registry.get("municipality") or ""))
    return documents.assess(case.methodology, case.inp, key=case.label, registry=registry)


def _campaign(args: argparse.Namespace, methodology: scoring.Methodology,
              cases: list[Case]) -> documents.Campaign:
    """The header: what the options say, else what a campaign export carries."""
    exported = cases[0].campaign if cases else {}
    period = exported.get("period")
    period_text = " — ".join(_date(p) for p in period if p) if isinstance(period, list) else ""
    year = args.year or (exported.get("year") if isinstance(exported.get("year"), int) else None)
    return documents.Campaign.of(
        methodology,
        name=args.campaign or str(exported.get("title") or ""),
        region=args.region, year=year,
        period=period_text or (f"{year} год" if year else ""),
        operator=args.operator, ministry=args.ministry,
    )


def _date(value: Any) -> str:
    """«2026-03-01» → «01.03.2026» (anything else as given)."""
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
