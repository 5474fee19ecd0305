"""`nok` — offline scoring without a server.

    nok score FILE [FILE|DIR ...] [--format json|table] [--methodology PATH]
              [--empty-policy renormalize|zero] [--rating]
        (JSON by default; with --rating a table by default, JSON with --format json)
    nok methodology validate PATH
    nok methodology show NAME|PATH [--format text|json]

JSON output carries the 95 % intervals of every figure (``intervals``, METHODOLOGY.md §7) and,
with --rating, each row's ``position_range`` [best, worst] within its organization type; the
tables show «83,4 (78,1–88,0)» and possible places «1–3».

Exit status: 0 on success, 2 on bad input (message on stderr naming the file and the field;
nothing on stdout — in a batch every file is validated before anything is printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scoring
from cli import render
from cli.io import FileProblem, collect, read_document

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Collected problems to print on stderr (one line each)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Scored:
    path: Path
    result: scoring.Result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nok", description="НОК: офлайн-расчёт показателей")
    sub = parser.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("score", help="рассчитать показатели по файлам оценки")
    sc.add_argument("files", nargs="+", metavar="FILE|DIR")
    sc.add_argument("--format", choices=("json", "table"), default=None,
                    help="json (по умолчанию) или table; с --rating по умолчанию table")
    sc.add_argument("--methodology", metavar="PATH", help="файл методики региона (JSON/YAML)")
    sc.add_argument("--empty-policy", choices=("renormalize", "zero"), default=None)
    sc.add_argument("--rating", action="store_true", help="рейтинг по типам организаций")
    meth = sub.add_parser("methodology", help="проверить или показать методику")
    msub = meth.add_subparsers(dest="action", required=True)
    val = msub.add_parser("validate", help="проверить файл методики")
    val.add_argument("path")
    show = msub.add_parser("show", help="показать показатели и веса")
    show.add_argument("name", metavar="NAME|PATH")
    show.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def load_methodology_arg(arg: str) -> tuple[scoring.Methodology, dict[str, Any]]:
    """A built-in name or a path to a methodology file; the validated object and its document."""
    if arg in scoring.builtin_names() and not Path(arg).exists():
        return scoring.load_methodology(arg), scoring.builtin_definition(arg)
    doc = read_document(Path(arg))
    try:
        return scoring.load_methodology(doc), doc
    except scoring.MethodologyError as exc:
        raise BadInput([f"{arg}: {exc}"]) from None


def _score(args: argparse.Namespace) -> str:
    methodology = load_methodology_arg(args.methodology)[0] if args.methodology else None
    inputs: list[tuple[Path, scoring.AssessmentInput, scoring.Methodology]] = []
    problems: list[str] = []
    for path in collect(args.files):
        try:
            inp = scoring.parse_assessment(read_document(path), methodology=methodology)
        except FileProblem as exc:
            problems.append(str(exc))
            continue
        except scoring.InputError as exc:
            problems.append(f"{path}: {exc}")
            continue
        inputs.append((path, inp, methodology or scoring.load_methodology(inp.methodology)))
    if problems:
        raise BadInput(problems)
    scored = [Scored(p, scoring.score(m, inp, empty_policy=args.empty_policy)) for p, inp, m in inputs]
    if args.rating:
        return _rating(scored, args.format or "table")
    if args.format == "table":
        return "\n".join(
            render.result_table(s.result, m, str(s.path) if len(scored) > 1 else "")
            for s, (_, _, m) in zip(scored, inputs, strict=True)
        )
    if len(scored) == 1:
        return _json(scored[0].result.to_dict())
    return _json({"results": [{"file": str(s.path), **s.result.to_dict()} for s in scored]})


def _rating(scored: list[Scored], fmt: str) -> str:
    slugs = sorted({s.result.methodology for s in scored})
    if len(slugs) > 1:
        raise BadInput([f"рейтинг строится по одной методике, а в файлах: {', '.join(slugs)}"])
    entries = [
        scoring.RatingEntry(
            key=str(s.path),
            name=s.result.organization.name if s.result.organization else s.path.stem,
            type=s.result.organization.type if s.result.organization else "",
            value=s.result.total,
        )
        for s in scored
    ]
    rows = scoring.rate(entries)
    intervals = {str(s.path): s.result.intervals.get("total") for s in scored}
    ranges = scoring.position_ranges(rows, intervals)
    scale = scored[0].result.scale
    integral = scale == "integral"
    if fmt == "json":
        return _json({
            "methodology": slugs[0],
            "value": "integral" if integral else "total",
            "tie_order": "name",
            "rating": [_rating_row(r, intervals, ranges) for r in rows],
        })
    return render.rating_table(rows, "Интегральное значение" if integral else "Итоговый балл",
                               intervals, ranges, scoring.digits_for(scale))


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        output = _score(args) if args.command == "score" else _methodology(args)
    except BadInput as exc:
        for line in exc.lines:
            print(f"nok: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FileProblem, scoring.ScoringError) as exc:
        print(f"nok: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
