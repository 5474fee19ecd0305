"""Reading the organizations named on the command line: assessment files (format 1) and
campaign exports, each validated, with the methodology each is scored by."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

import scoring
from cli.io import FileProblem, collect, read_document


class BadInput(Exception):
    """Collected problems to print on stderr (one line each)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Case:
    """One organization to score: where it came from, its input and methodology, and (from a
    campaign export) the results printed there."""

    label: str
    inp: scoring.AssessmentInput
    methodology: scoring.Methodology
    expected: dict[str, Any] | None = None
    export: str = ""  # the export file it belongs to (rated together with its neighbours)
    registry: dict[str, Any] = field(default_factory=dict)  # from a campaign export
    campaign: dict[str, Any] = field(default_factory=dict)  # from a campaign export


def load_methodology_arg(arg: str) -> tuple[scoring.Methodology, dict[str, Any]]:
    """A built-in name or a path to a methodology file; the validated object and its document."""
    if arg in scoring.builtin_names() and not Path(arg).exists():
        return scoring.load_methodology(arg), scoring.builtin_definition(arg)
    doc = read_document(Path(arg))
    try:
        return scoring.load_methodology(doc), doc
    except scoring.MethodologyError as exc:
        raise BadInput([f"{arg}: {exc}"]) from None


def cases_of(path: Path, override: scoring.Methodology | None) -> list[Case]:
    """The organizations of one file: an assessment file, or every entry of a campaign export
    (scored with the methodology document the export carries, unless one is given)."""
    doc = read_document(path)
    if not scoring.is_export(doc):
        inp = scoring.parse_assessment(doc, methodology=override)
        return [Case(str(path), inp, override or scoring.load_methodology(inp.methodology))]
    try:
        export = scoring.read_export(doc)
    except scoring.InputError as exc:
        raise BadInput([f"{path}: {exc}"]) from None
    methodology = override
    if methodology is None and export.definition is not None:
        try:
            methodology = scoring.load_methodology(export.definition)
        except scoring.MethodologyError as exc:
            raise BadInput([f"{path}: campaign.methodology.definition.{exc}"]) from None
    cases, problems = [], []
    for entry in export.entries:
        try:
            inp = scoring.parse_assessment(entry.assessment, methodology=methodology)
        except scoring.InputError as exc:
            problems.append(f"{path}: organizations[{entry.index}].{exc}")
            continue
        name = inp.organization.name
        cases.append(Case(f"{path}#{entry.index + 1} {name}", inp,
                          methodology or scoring.load_methodology(inp.methodology),
                          entry.results, export=str(path), registry=entry.registry,
                          campaign=export.campaign))
    if problems:
        raise BadInput(problems)
    return cases


def read_cases(paths: list[str], override: scoring.Methodology | None, *,
               progress: bool = False) -> list[Case]:
    """Every organization of the files (folders read for their files), all validated first:
    the problems of every file at once, as one ``BadInput``. ``progress``: a bar on the
    terminal while many files are read."""
    files = collect(paths)
    cases: list[Case] = []
    problems: list[str] = []
    bar = tqdm(files, desc="Чтение файлов", unit=" файл", leave=False,
               disable=None if progress and len(files) > 1 else True)
    for path in bar:
        try:
            cases.extend(cases_of(path, override))
        except FileProblem as exc:
            problems.append(str(exc))
        except scoring.InputError as exc:
            problems.append(f"{path}: {exc}")
        except BadInput as exc:
            problems.extend(exc.lines)
    if problems:
        raise BadInput(problems)
    return cases
