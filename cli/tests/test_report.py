"""`nok report`: documents from assessment files, end to end through main(argv)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

import scoring
from cli.__main__ import main
from documents.tests.helpers import docx_tables, docx_text, pdf_text, row_with

ROOT = Path(__file__).resolve().parents[2]
SEED_001 = str(ROOT / "examples" / "seed-001.json")
SEED_003 = str(ROOT / "examples" / "seed-003-social-2014.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def organization(tmp_path: Path, name: str, overall_yes: int, org_type: str = "КЦСОН") -> Path:
    doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
    doc["organization"].update(name=name, type=org_type, recipients=60)
    doc["survey"]["answers"]["overall"] = {"asked": 30, "yes": overall_yes}
    path = tmp_path / "in" / f"{name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


class ReportProtocolTests:
    def test_it_writes_seed_001s_protocol_as_docx(self, capsys, tmp_path: Path) -> None:
        out = tmp_path / "protocol.docx"
        code, stdout, err = run(capsys, "report", "protocol", SEED_001, "-o", str(out),
                                "--campaign", "НОК 2019", "--region", "Астраханская область")
        assert (code, err) == (0, "")
        assert stdout == f"Записано: {out} (протокол организации)\n"
        text = docx_text(out.read_bytes())
        assert "Итоговый балл организации составил 93,6 балла." in text
        assert "Оценка: НОК 2019, Астраханская область" in text

    def test_it_writes_seed_003s_protocol_as_pdf(self, capsys, tmp_path: Path) -> None:
        out = tmp_path / "protocol.pdf"
        assert run(capsys, "report", "protocol", SEED_003, "-o", str(out))[0] == 0
        assert "Интегральное значение показателей организации составило 42,75." in pdf_text(out.read_bytes())


class ReportRatingTests:
    def test_a_directory_of_files_becomes_a_rating_workbook(self, capsys, tmp_path: Path) -> None:
        organization(tmp_path, "Центр А", 30)
        organization(tmp_path, "Центр Б", 24)  # 5.3 = 80 → total 93,6 − 0,5 × 20 / 5 = 91,6
        out = tmp_path / "rating.xlsx"
        code, stdout, _ = run(capsys, "report", "rating", str(tmp_path / "in"), "-o", str(out))
        assert code == 0 and "2 организации" in stdout
        sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Для аналитиков"]
        rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert rows["Центр А"][2:5:2] == (1, pytest.approx(93.6))
        assert rows["Центр Б"][2:5:2] == (2, pytest.approx(91.6))

    def test_a_rating_docx(self, capsys, tmp_path: Path) -> None:
        organization(tmp_path, "Центр А", 30)
        out = tmp_path / "rating.docx"
        assert run(capsys, "report", "rating", str(tmp_path / "in"), "-o", str(out))[0] == 0
        assert row_with(docx_tables(out.read_bytes()), "Центр А")[4] == "93,6"


class ReportRegionTests:
    def test_the_region_report_compares_with_the_previous_campaign(self, capsys, tmp_path: Path) -> None:
        organization(tmp_path, "Центр А", 30)
        before = tmp_path / "before"
        before.mkdir()
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["organization"].update(name="Центр А", type="КЦСОН", recipients=60)
        doc["observation"]["disabled_services"] = []  # 3.2 = 0 the year before
        (before / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out = tmp_path / "region.docx"
        code, _, err = run(capsys, "report", "region", str(tmp_path / "in"), "-o", str(out),
                           "--previous", str(before), "--year", "2026")
        assert (code, err) == (0, "")
        text = docx_text(out.read_bytes())
        assert "Организаций, оценённых оба раза: 1. Недостатков прошлой оценки устранено: 4" in text
        pdf = tmp_path / "region.pdf"
        assert run(capsys, "report", "region", str(tmp_path / "in"), "-o", str(pdf))[0] == 0
        assert "в 2026 году" not in pdf_text(pdf.read_bytes())


class ReportPlanTests:
    def test_the_plan_has_a_row_per_shortcoming_in_either_layout(self, capsys, tmp_path: Path) -> None:
        out = tmp_path / "plan.xlsx"
        assert run(capsys, "report", "plan", SEED_001, "-o", str(out))[0] == 0
        rows = list(openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["План"].iter_rows(values_only=True))
        assert sum(1 for r in rows[5:] if r[1]) == 8  # seed 001: eight shortcomings
        seed002 = tmp_path / "plan.docx"
        assert run(capsys, "report", "plan", SEED_001, "-o", str(seed002), "--layout", "seed002")[0] == 0
        assert docx_tables(seed002.read_bytes())[0][0][0] == "Критерии"


class ReportRefusalTests:
    def test_bad_input_names_the_file_and_field_and_writes_nothing(self, capsys, tmp_path: Path) -> None:
        bad = tmp_path / "bad.json"
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["survey"]["answers"]["overall"] = {"asked": 3, "yes": 5}
        bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out = tmp_path / "rating.xlsx"
        code, stdout, err = run(capsys, "report", "rating", SEED_001, str(bad), "-o", str(out))
        assert code == 2 and stdout == ""
        assert err == f"nok: {bad}: survey.answers.overall.yes: ответов «да» (5) больше, чем ответивших (3)\n"
        assert list(tmp_path.iterdir()) == [bad]

    def test_an_unknown_format_is_refused(self, capsys, tmp_path: Path) -> None:
        code, _, err = run(capsys, "report", "protocol", SEED_001, "-o", str(tmp_path / "p.txt"))
        assert code == 2
        assert "формат «.txt» не поддерживается для «nok report protocol» (допустимо: .docx, .pdf)" in err

    def test_a_bad_template_is_refused_with_its_reason(self, capsys, tmp_path: Path) -> None:
        template = tmp_path / "my.docx"
        template.write_bytes(b"not a docx")
        out = tmp_path / "p.docx"
        code, _, err = run(capsys, "report", "protocol", SEED_001, "-o", str(out), "--template", str(template))
        assert code == 2 and "файл не является документом DOCX" in err
        assert not out.exists()

    def test_an_existing_output_survives_a_failed_run(self, capsys, tmp_path: Path) -> None:
        out = tmp_path / "rating.xlsx"
        out.write_bytes(b"previous")
        code, _, _ = run(capsys, "report", "rating", str(tmp_path / "missing.json"), "-o", str(out))
        assert code == 2 and out.read_bytes() == b"previous"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["rating.xlsx"]


class ReportFromExportTests:
    def test_a_campaign_export_gives_the_header_and_the_register(self, capsys, tmp_path: Path) -> None:
        entry = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        entry["registry"] = {"organization_id": 7, "inn": "3016012345", "municipality": "Лиманский район"}
        export = {"format": "nok-campaign", "version": 1,
                  "campaign": {"title": "НОК 2026", "year": 2026, "period": ["2026-03-01", "2026-09-30"],
                               "methodology": {"slug": "social-2018",
                                               "definition": scoring.builtin_definition("social-2018")}},
                  "organizations": [entry]}
        source = tmp_path / "export.json"
        source.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        out = tmp_path / "protocol.docx"
        assert run(capsys, "report", "protocol", str(source), "-o", str(out))[0] == 0
        text = docx_text(out.read_bytes())
        assert "Оценка: НОК 2026" in text
        assert "Период: 01.03.2026 — 30.09.2026" in text
        assert "Итоговый балл организации составил 93,6 балла." in text
