"""`nok` — offline scoring without a server.

    nok score FILE [FILE|DIR ...] [--format json|table] [--methodology PATH]
              [--empty-policy renormalize|zero] [--rating] [--verify]
        (JSON by default; with --rating a table by default, JSON with --format json)
        A FILE may be a campaign export (``campaign_export``): every organization in it is
        scored with the methodology document it carries; --verify compares the results.
    nok report protocol|rating|region|plan FILE|DIR... -o OUT  (see cli/report.py)
    nok methodology validate PATH
    nok methodology show NAME|PATH [--format text|json]
    nok site-audit URL [--methodology NAME|PATH] [--max-pages N] [--format json|table]
                   [--delay SECONDS] [--ca-file PEM] [--save-pages DIR]
                   [--allow-private-addresses]

JSON output carries the 95 % intervals of every figure (``intervals``, METHODOLOGY.md §7) and,
with --rating, each row's ``position_range`` [best, worst] within its organization type; the
tables show «83,4 (78,1–88,0)» and possible places «1–3».

Exit status: 0 on success, 2 on bad input (message on stderr naming the file and the field;
nothing on stdout — in a batch every file is validated before anything is printed), 1 when
--verify finds a difference (each one on stderr), and 2 when the site of ``site-audit`` cannot
be read (unreachable, refused address).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scoring
import siteaudit
from cli import render, report
from cli.cases import BadInput, Case, load_methodology_arg, read_cases
from cli.io import FileProblem

EXIT_BAD_INPUT = 2
EXIT_MISMATCH = 1


@dataclass(frozen=True)
class Scored:
    case: Case
    result: scoring.Result

    @property
    def path(self) -> str:
        return self.case.label


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nok", description="НОК: офлайн-расчёт показателей")
    sub = parser.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("score", help="рассчитать показатели по файлам оценки или выгрузке кампании")
    sc.add_argument("files", nargs="+", metavar="FILE|DIR")
    sc.add_argument("--format", choices=("json", "table"), default=None,
                    help="json (по умолчанию) или table; с --rating по умолчанию table")
    sc.add_argument("--methodology", metavar="PATH", help="файл методики региона (JSON/YAML)")
    sc.add_argument("--empty-policy", choices=("renormalize", "zero"), default=None)
    sc.add_argument("--rating", action="store_true", help="рейтинг по типам организаций")
    sc.add_argument("--verify", action="store_true",
                    help="сверить расчёт с результатами, записанными в выгрузке кампании")
    meth = sub.add_parser("methodology", help="проверить или показать методику")
    msub = meth.add_subparsers(dest="action", required=True)
    val = msub.add_parser("validate", help="проверить файл методики")
    val.add_argument("path")
    show = msub.add_parser("show", help="показать показатели и веса")
    show.add_argument("name", metavar="NAME|PATH")
    show.add_argument("--format", choices=("text", "json"), default="text")
    audit = sub.add_parser("site-audit", help="проверить сайт организации по перечню методики")
    audit.add_argument("url", metavar="URL")
    audit.add_argument("--methodology", default="social-2018", metavar="NAME|PATH",
                       help="встроенная методика или файл методики региона (по умолчанию social-2018)")
    audit.add_argument("--max-pages", type=_positive, default=siteaudit.CrawlSettings().max_pages,
                       metavar="N", help="сколько страниц сайта прочитать (по умолчанию 60)")
    audit.add_argument("--max-depth", type=_positive, default=siteaudit.CrawlSettings().max_depth,
                       metavar="N", help="глубина переходов от главной страницы (по умолчанию 3)")
    audit.add_argument("--delay", type=float, default=siteaudit.FetchSettings().delay,
                       metavar="SECONDS", help="пауза между запросами (по умолчанию 1 с)")
    audit.add_argument("--format", choices=("json", "table"), default="json")
    audit.add_argument("--save-pages", metavar="DIR", default="",
                       help="сохранить в каталог копии страниц и документов, на которые ссылаются находки")
    audit.add_argument("--ca-file", default="", metavar="PATH",
                       help="дополнительные корневые сертификаты (PEM), например Russian Trusted Root CA")
    audit.add_argument("--allow-private-addresses", action="store_true",
                       help="разрешить адреса локальной и частных сетей (для проверки тестовых сайтов)")
    report.add_parser(sub)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ожидается целое число, а не «{text}»") from None
    if value < 1:
        raise argparse.ArgumentTypeError("ожидается число не меньше 1")
    return value


def _score(args: argparse.Namespace) -> str:
    methodology = load_methodology_arg(args.methodology)[0] if args.methodology else None
    cases = read_cases(args.files, methodology)
    scored = [Scored(c, scoring.score(c.methodology, c.inp, empty_policy=args.empty_policy))
              for c in cases]
    if args.verify:
        return _verify(scored)
    if args.rating:
        return _rating(scored, args.format or "table")
    if args.format == "table":
        return "\n".join(
            render.result_table(s.result, s.case.methodology, s.path if len(scored) > 1 else "")
            for s in scored
        )
    if len(scored) == 1:
        return _json(scored[0].result.to_dict())
    return _json({"results": [{"file": s.path, **s.result.to_dict()} for s in scored]})


def _rate(scored: list[Scored]) -> list[scoring.RatingRow]:
    """The rating of these organizations under their methodology's policy (one methodology)."""
    slugs = sorted({s.result.methodology for s in scored})
    if len(slugs) > 1:
        raise BadInput([f"рейтинг строится по одной методике, а в файлах: {', '.join(slugs)}"])
    entries = [
        scoring.RatingEntry(
            key=s.path,
            name=s.result.organization.name if s.result.organization else s.path,
            type=s.result.organization.type if s.result.organization else "",
            value=s.result.total,
            insufficient=scoring.rating_reasons(s.case.methodology, s.case.inp, s.result),
        )
        for s in scored
    ]
    return scoring.rate(entries, scored[0].case.methodology.rating)


def _rating(scored: list[Scored], fmt: str) -> str:
    rows = _rate(scored)
    methodology = scored[0].case.methodology
    intervals = {s.path: s.result.intervals.get("total") for s in scored}
    ranges = scoring.position_ranges(rows, intervals)
    integral = methodology.scale == "integral"
    rule = methodology.rating.describe()
    if fmt == "json":
        return _json({
            "methodology": methodology.slug,
            "value": "integral" if integral else "total",
            "ties": methodology.rating.ties,
            "rule": rule,
            "rating": [_rating_row(r, intervals, ranges) for r in rows],
        })
    return render.rating_table(rows, "Интегральное значение" if integral else "Итоговый балл",
                               intervals, ranges, scoring.digits_for(methodology.scale), rule)


def _rating_row(row: scoring.RatingRow, intervals: dict[str, scoring.Interval | None],
                ranges: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """A rating row with the 95 % interval of its value and its ``position_range``
    ``[best, worst]`` (null for a row without a place)."""
    bounds, places = intervals.get(row.key), ranges.get(row.key)
    return {
        **row.to_dict(),
        "interval": None if bounds is None else list(bounds),
        "position_range": None if places is None else list(places),
    }


def _verify(scored: list[Scored]) -> str:
    """Every organization of a campaign export scored again and compared with its results."""
    exports: dict[str, list[Scored]] = {}
    for s in scored:
        if s.case.expected is None:
            raise BadInput([f"{s.path}: сверять можно только выгрузку кампании"])
        exports.setdefault(s.case.export, []).append(s)
    problems: list[str] = []
    for group in exports.values():
        rows = {row.key: row for row in _rate(group)}
        for s in group:
            got = scoring.results_of(s.result, rows[s.path])
            problems.extend(f"{s.path}: {d}" for d in scoring.differences(s.case.expected or {}, got))
    if problems:
        raise Mismatch(problems)
    return f"Сверка: {len(scored)} организаций, расчёт совпадает с выгрузкой.\n"


class Mismatch(BadInput):
    """Recomputed results differ from those printed in an export (exit status 1)."""


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _methodology(args: argparse.Namespace) -> str:
    if args.action == "validate":
        m, _ = load_methodology_arg(args.path)
        return f"OK: {m.slug} — {m.title} ({len(m.criteria)} критериев, {len(m.indicators)} показателей)\n"
    m, doc = load_methodology_arg(args.name)
    if args.format == "json":
        return _json(doc)
    return render.methodology_text(m)


def _site_audit(args: argparse.Namespace) -> str:
    methodology = load_methodology_arg(args.methodology)[0]
    settings = siteaudit.CrawlSettings(
        max_pages=args.max_pages,
        max_depth=args.max_depth,
        fetch=siteaudit.FetchSettings(delay=max(0.0, args.delay),
                                      allow_private=args.allow_private_addresses,
                                      ca_file=args.ca_file),
    )
    try:
        report = siteaudit.audit(args.url, methodology, settings)
    except siteaudit.SiteAuditError as exc:
        raise BadInput([str(exc)]) from None
    copies = _save_pages(report, Path(args.save_pages)) if args.save_pages else {}
    if args.format == "table":
        return render.site_audit_table(report, methodology, copies)
    data = report.to_dict()
    if copies:
        for page in data["pages"]:
            if page["url"] in copies:
                page["copy"] = copies[page["url"]]
        findings = [*data["items"].values(), *data["remote_channels"].values()]
        if data["site_for_visually_impaired"] is not None:
            findings.append(data["site_for_visually_impaired"])
        for finding in findings:
            for evidence in finding["evidence"]:
                if evidence["url"] in copies:
                    evidence["copy"] = copies[evidence["url"]]
    return _json(data)


COPY_SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "file": ".bin"}


def _save_pages(report: siteaudit.AuditReport, directory: Path) -> dict[str, str]:
    """Every page or document a finding cites, written as fetched: {address: file path}."""
    cited = {ev.url for _, finding in report.findings() for ev in finding.evidence}
    copies: dict[str, str] = {}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for index, page in enumerate(report.pages):
            if page.final_url in cited and page.ok and page.body and page.final_url not in copies:
                path = directory / f"{index:03d}{COPY_SUFFIX.get(page.kind, '.bin')}"
                path.write_bytes(page.body)
                copies[page.final_url] = str(path)
    except OSError as exc:
        raise BadInput([f"{directory}: не удалось сохранить копии страниц ({exc.strerror})"]) from None
    return copies


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"score": _score, "methodology": _methodology, "site-audit": _site_audit,
                "report": report.run}
    try:
        output = commands[args.command](args)
    except BadInput as exc:
        for line in exc.lines:
            print(f"nok: {line}", file=sys.stderr)
        return EXIT_MISMATCH if isinstance(exc, Mismatch) else EXIT_BAD_INPUT
    except (FileProblem, scoring.ScoringError) as exc:
        print(f"nok: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
