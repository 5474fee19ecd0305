"""`nok` end to end through main(argv) and capsys, plus one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import scoring
from cli.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SEED_001 = str(ROOT / "examples" / "seed-001.json")
SEED_003 = str(ROOT / "examples" / "seed-003-social-2014.json")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, data) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def org(name: str, total_yes: int, tmp_path: Path, org_type: str = "КЦСОН") -> str:
    doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
    doc["organization"].update(name=name, type=org_type)
    doc["survey"]["answers"]["overall"] = {"asked": 30, "yes": total_yes}
    return write(tmp_path / f"{name}.json", doc)


class ScoreCommandTests:
    def test_it_prints_json_for_seed_001(self, capsys):
        code, out, err = run(capsys, "score", SEED_001)
        data = json.loads(out)
        assert code == 0 and err == ""
        assert data["total"] == pytest.approx(93.6)
        assert data["criteria"]["K3"] == pytest.approx(68)
        assert data["indicators"]["3.2"] == 80
        assert data["explain"]["K3"]["formula"] == "0,3 × 20 + 0,4 × 80 + 0,3 × 100 = 68"

    def test_it_prints_per_code_scores_and_the_integral_for_social_2014(self, capsys):
        code, out, _ = run(capsys, "score", SEED_003)
        data = json.loads(out)
        assert code == 0
        assert data["integral"] == pytest.approx(42.75)  # seed 003 prints scores summing to 42,75
        assert data["scores"]["0242000007"] == pytest.approx(0.95)
        assert data["scores"]["02450000013"] is None

    def test_it_prints_a_russian_table(self, capsys):
        code, out, _ = run(capsys, "score", SEED_001, "--format", "table")
        assert code == 0
        assert "Итоговый показатель организации" in out
        assert "0,3 × 20 + 0,4 × 80 + 0,3 × 100 = 68" in out
        assert "93,6" in out

    def test_it_reads_yaml_with_the_same_keys(self, capsys, tmp_path):
        import yaml

        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        path = tmp_path / "org.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        code, out, _ = run(capsys, "score", str(path))
        assert code == 0 and json.loads(out)["total"] == pytest.approx(93.6)

    def test_it_reads_hand_written_yaml_whose_counts_say_yes(self, capsys, tmp_path):
        # PyYAML's default YAML 1.1 would read the bare key `yes` as True.
        path = tmp_path / "hand.yaml"
        path.write_text(
            "format: 1\nmethodology: social-2018\n"
            "organization: {name: КЦСОН, type: КЦСОН, forms: [home], recipients: 10}\n"
            "survey:\n  respondents: 4\n  answers:\n    timely: {asked: 4, yes: 3}\n",
            encoding="utf-8",
        )
        code, out, err = run(capsys, "score", str(path))
        assert code == 0, err
        assert json.loads(out)["indicators"]["2.2"] == pytest.approx(75.0)  # 3/4 × 100

    def test_yaml_booleans_are_only_true_and_false(self, tmp_path):
        from cli.io import read_document

        path = tmp_path / "b.yaml"
        path.write_text("a: true\nb: False\nyes: on\nno: off\n", encoding="utf-8")
        assert read_document(path) == {"a": True, "b": False, "yes": "on", "no": "off"}

    def test_the_zero_policy_is_applied_on_request(self, capsys, tmp_path):
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["survey"]["answers"]["accessibility"] = {"asked": 0, "yes": 0}
        path = write(tmp_path / "a.json", doc)
        _, out, _ = run(capsys, "score", path)
        assert json.loads(out)["indicators"]["3.3"] is None
        _, out, _ = run(capsys, "score", path, "--empty-policy", "zero")
        data = json.loads(out)
        assert data["indicators"]["3.3"] == 0 and data["empty_policy"] == "zero"

    def test_a_batch_prints_one_result_per_file(self, capsys, tmp_path):
        code, out, _ = run(capsys, "score", org("А", 30, tmp_path), org("Б", 15, tmp_path))
        data = json.loads(out)
        assert code == 0 and len(data["results"]) == 2
        assert data["results"][0]["file"].endswith("А.json")


class BadInputTests:
    def test_it_exits_2_with_the_file_and_field_on_stderr_and_nothing_on_stdout(self, capsys, tmp_path):
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["survey"]["answers"]["timely"] = {"asked": 5, "yes": 6}
        path = write(tmp_path / "bad.json", doc)
        code, out, err = run(capsys, "score", path)
        assert code == 2 and out == ""
        assert f"{path}: survey.answers.timely.yes" in err

    def test_a_bad_file_in_a_batch_prints_nothing_at_all(self, capsys, tmp_path):
        good = org("А", 30, tmp_path)
        bad = write(tmp_path / "zz.json", {"format": 1, "methodology": "social-2018",
                                           "organization": {"name": "x", "type": "y"},
                                           "observation": {"remote_channels": ["pigeon"]}})
        code, out, err = run(capsys, "score", good, bad)
        assert code == 2 and out == ""
        assert "observation.remote_channels[0]" in err

    def test_malformed_json_names_the_file_and_line(self, capsys, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text('{"format": 1,\n  oops}', encoding="utf-8")
        code, out, err = run(capsys, "score", str(path))
        assert code == 2 and out == "" and "broken.json" in err and "строке 2" in err

    def test_a_missing_file_exits_2(self, capsys, tmp_path):
        code, out, err = run(capsys, "score", str(tmp_path / "nope.json"))
        assert code == 2 and out == "" and "файл не найден" in err

    def test_the_console_script_exits_2_in_a_real_process(self, tmp_path):
        path = write(tmp_path / "bad.json", {"format": 9})
        proc = subprocess.run([sys.executable, "-m", "cli", "score", path], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 2 and proc.stdout == ""
        assert "bad.json" in proc.stderr


class RatingTests:
    def test_it_ranks_a_directory_by_type_with_shared_places_for_ties_under_social_2018(
            self, capsys, tmp_path):
        org("Центр Б", 30, tmp_path)
        org("Центр А", 30, tmp_path)
        org("Центр В", 15, tmp_path)
        org("Дом ветеранов", 20, tmp_path, org_type="Дома ветеранов")
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating", "--format", "json")
        data = json.loads(out)
        assert code == 0
        kcson = [(r["position"], r["name"]) for r in data["rating"] if r["type"] == "КЦСОН"]
        assert kcson == [(1, "Центр А"), (1, "Центр Б"), (3, "Центр В")]
        assert [r["position"] for r in data["rating"] if r["type"] == "Дома ветеранов"] == [1]
        assert data["ties"] == "shared" and "делят место" in data["rule"]

    def test_it_prints_a_rating_table_with_its_rule(self, capsys, tmp_path):
        org("Центр А", 30, tmp_path)
        org("Центр Б", 15, tmp_path)
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating")
        assert code == 0
        assert "Рейтинг: КЦСОН" in out
        assert out.index("Центр А") < out.index("Центр Б")
        assert "Правило: Места — по убыванию значения" in out

    def test_an_organization_without_a_survey_is_listed_without_a_place(self, capsys, tmp_path):
        org("Центр А", 20, tmp_path)
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["organization"].update(name="Центр без анкет", type="КЦСОН", recipients=50)
        doc["survey"] = {"respondents": 0, "answers": {}}
        write(tmp_path / "empty.json", doc)
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating", "--format", "json")
        rows = json.loads(out)["rating"]
        assert [(r["position"], r["name"], r["group"]) for r in rows] == [
            (1, "Центр А", "rated"), (None, "Центр без анкет", "insufficient")]
        assert rows[1]["insufficient"] == ["нет значения критериев K4, K5",
                                           "выборка меньше минимальной: опрошено 0, нужно не менее 20"]
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating")
        assert "Центр без анкет (недостаточно данных: нет значения критериев K4, K5" in out

    def test_it_refuses_to_rank_across_methodologies(self, capsys):
        code, out, err = run(capsys, "score", SEED_001, SEED_003, "--rating")
        assert code == 2 and out == "" and "одной методике" in err


def export_of(tmp_path: Path, *files: str, edit=None) -> str:
    """A campaign export built as the web application builds it (scoring.export_entry)."""
    m = scoring.load_methodology("social-2018")
    inputs = [scoring.parse_assessment(json.loads(Path(f).read_text(encoding="utf-8"))) for f in files]
    results = [scoring.score(m, inp) for inp in inputs]
    rows = scoring.rate([scoring.RatingEntry(str(i), inp.organization.name, inp.organization.type,
                                             r.total, scoring.rating_reasons(m, inp, r))
                         for i, (inp, r) in enumerate(zip(inputs, results, strict=True))], m.rating)
    by_key = {row.key: row for row in rows}
    definition = scoring.builtin_definition("social-2018")
    doc = {"format": "nok-campaign", "version": 1,
           "campaign": {"title": "НОК 2026", "methodology": {
               "slug": m.slug, "sha256": scoring.definition_sha256(definition),
               "definition": definition}},
           "organizations": [
               scoring.export_entry(inp, m, scoring.results_of(r, by_key[str(i)]), {"id": i})
               for i, (inp, r) in enumerate(zip(inputs, results, strict=True))]}
    if edit:
        edit(doc)
    return write(tmp_path / "export.json", doc)


class CampaignExportTests:
    def test_it_scores_every_organization_of_an_export(self, capsys, tmp_path):
        path = export_of(tmp_path, org("Центр А", 30, tmp_path), org("Центр Б", 12, tmp_path))
        code, out, _ = run(capsys, "score", path)
        results = json.loads(out)["results"]
        assert code == 0
        assert [r["organization"]["name"] for r in results] == ["Центр А", "Центр Б"]
        # overall 30/30 -> 5.3 = 100 and total 93.6 as seed 001; 12/30 -> 5.3 = 40:
        # K5 = 0.3×100 + 0.2×100 + 0.5×40 = 70, total = (100+100+68+100+70)/5 = 87.6
        assert results[0]["total"] == pytest.approx(93.6)
        assert results[1]["total"] == pytest.approx(87.6)

    def test_verify_confirms_an_untouched_export(self, capsys, tmp_path):
        path = export_of(tmp_path, org("Центр А", 30, tmp_path), org("Центр Б", 12, tmp_path))
        code, out, err = run(capsys, "score", path, "--verify")
        assert (code, err) == (0, "")
        assert "2 организаций, расчёт совпадает" in out

    def test_verify_names_every_figure_that_differs(self, capsys, tmp_path):
        def tamper(doc):
            doc["organizations"][1]["results"]["total"] = 90.0
            doc["organizations"][1]["results"]["place"] = 1

        path = export_of(tmp_path, org("Центр А", 30, tmp_path), org("Центр Б", 12, tmp_path),
                         edit=tamper)
        code, out, err = run(capsys, "score", path, "--verify")
        assert code == 1 and out == ""
        assert "#2 Центр Б: total: в файле 90.0, расчёт 87.6" in err
        assert "#2 Центр Б: place: в файле 1, расчёт 2" in err

    def test_a_broken_entry_is_named_by_its_position(self, capsys, tmp_path):
        def tamper(doc):
            doc["organizations"][1]["survey"]["answers"]["overall"]["yes"] = 99

        path = export_of(tmp_path, org("Центр А", 30, tmp_path), org("Центр Б", 12, tmp_path),
                         edit=tamper)
        code, out, err = run(capsys, "score", path)
        assert code == 2 and out == ""
        assert "organizations[1].survey.answers.overall.yes" in err

    def test_it_uses_the_methodology_document_the_export_carries(self, capsys, tmp_path):
        def reweight(doc):
            definition = doc["campaign"]["methodology"]["definition"]
            k5 = next(c for c in definition["criteria"] if c["key"] == "K5")
            weights = {"5.1": 0.2, "5.2": 0.2, "5.3": 0.6}
            for ind in k5["indicators"]:
                ind["weight"] = weights[ind["key"]]

        path = export_of(tmp_path, org("Центр Б", 12, tmp_path), edit=reweight)
        code, out, _ = run(capsys, "score", path)
        # K5 = 0.2×100 + 0.2×100 + 0.6×40 = 64, total = (100+100+68+100+64)/5 = 86.4
        assert code == 0 and json.loads(out)["total"] == pytest.approx(86.4)


class MethodologyCommandTests:
    def regional(self, tmp_path: Path) -> str:
        doc = scoring.builtin_definition("social-2018")
        doc["slug"] = "region-2018"
        k3 = doc["criteria"][2]["indicators"]
        k3[0]["weight"], k3[1]["weight"], k3[2]["weight"] = 0.2, 0.3, 0.5
        return write(tmp_path / "region.json", doc)

    def test_validate_accepts_a_methodology_of_ones_own(self, capsys, tmp_path):
        code, out, _ = run(capsys, "methodology", "validate", self.regional(tmp_path))
        assert code == 0 and out.startswith("OK: region-2018")

    def test_validate_names_the_path_in_a_broken_methodology(self, capsys, tmp_path):
        doc = scoring.builtin_definition("social-2018")
        doc["criteria"][2]["indicators"][1]["weight"] = "much"
        path = write(tmp_path / "broken.json", doc)
        code, out, err = run(capsys, "methodology", "validate", path)
        assert code == 2 and out == ""
        assert "criteria[2].indicators[1].weight: ожидается число" in err

    def test_score_uses_the_regional_methodology(self, capsys, tmp_path):
        code, out, _ = run(capsys, "score", SEED_001, "--methodology", self.regional(tmp_path))
        data = json.loads(out)
        # K3 = 0.2 × 20 + 0.3 × 80 + 0.5 × 100 = 78; total = (400 + 78) / 5 = 95.6
        assert code == 0 and data["methodology"] == "region-2018"
        assert data["criteria"]["K3"] == pytest.approx(78)
        assert data["total"] == pytest.approx(95.6)

    def test_show_lists_indicators_and_weights(self, capsys):
        code, out, _ = run(capsys, "methodology", "show", "social-2018")
        assert code == 0
        assert "K3. Доступность услуг для инвалидов" in out
        assert "3.2" in out and "0,4" in out

    def test_show_prints_the_document_as_json(self, capsys):
        code, out, _ = run(capsys, "methodology", "show", "social-2014", "--format", "json")
        assert code == 0 and json.loads(out)["slug"] == "social-2014"


def unhappy(name: str, tmp_path: Path) -> str:
    """Seed 001 where every respondent answered «нет» to every question."""
    doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
    doc["organization"].update(name=name, type="КЦСОН")
    doc["survey"]["answers"] = {k: {"asked": v["asked"], "yes": 0}
                                for k, v in doc["survey"]["answers"].items()}
    return write(tmp_path / f"{name}.json", doc)


class IntervalOutputTests:
    def test_json_carries_the_interval_of_every_figure(self, capsys):
        code, out, _ = run(capsys, "score", SEED_001)
        data = json.loads(out)
        assert code == 0
        assert set(data["intervals"]) == {*data["indicators"], *data["criteria"], "total"}
        assert data["intervals"]["3.1"] == [20, 20]  # observation: exact
        # 3.3 = 7 of 7: Wilson upper bound 1, lower 1 − (z²/7)/(1 + z²/7) = 1 − 0.548780/1.548780
        #   = 1 − 0.354327 = 0.645673
        lo, hi = data["intervals"]["3.3"]
        assert lo == pytest.approx(64.5673, abs=1e-3) and hi == 100

    def test_json_has_null_for_an_excluded_figure(self, capsys, tmp_path):
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["survey"]["answers"]["accessibility"] = {"asked": 0, "yes": 0}
        _, out, _ = run(capsys, "score", write(tmp_path / "a.json", doc))
        assert json.loads(out)["intervals"]["3.3"] is None

    def test_json_carries_corrected_intervals_when_recipients_are_known(self, capsys, tmp_path):
        doc = json.loads(Path(SEED_001).read_text(encoding="utf-8"))
        doc["organization"]["recipients"] = 7
        _, out, _ = run(capsys, "score", write(tmp_path / "a.json", doc))
        # 7 disabled respondents of 7 recipients: the whole population answered, 3.3 is exact
        assert json.loads(out)["intervals_fpc"]["3.3"] == [100, 100]

    def test_the_table_shows_values_with_their_intervals(self, capsys):
        code, out, _ = run(capsys, "score", SEED_001, "--format", "table")
        # K3 = 68; sd(7 of 7) = sqrt(0.822836 × 0.177164 / 10.841459) = 0.115958 → 11.5958 points
        # sd_K3 = 0.3 × 11.5958 = 3.47875; 68 ± 1.959964 × 3.47875 = 68 ± 6.81822 → 61,2–74,8
        assert code == 0
        assert "68,0 (61,2–74,8)" in out
        assert "В скобках — 95 % доверительный интервал" in out

    def test_the_rating_json_gives_position_ranges(self, capsys, tmp_path):
        org("Центр А", 30, tmp_path)
        org("Центр Б", 30, tmp_path)
        unhappy("Центр В", tmp_path)
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating", "--format", "json")
        rows = {r["name"]: r for r in json.loads(out)["rating"]}
        assert code == 0
        # А and Б are the same organization twice: neither interval lies above the other.
        # В (every answer «нет», total 25,6) lies far below both.
        assert rows["Центр А"]["position_range"] == [1, 2]
        assert rows["Центр Б"]["position_range"] == [1, 2]
        assert rows["Центр В"]["position_range"] == [3, 3]
        lo, hi = rows["Центр В"]["interval"]
        assert lo <= rows["Центр В"]["value"] <= hi

    def test_the_rating_table_shows_possible_places(self, capsys, tmp_path):
        org("Центр А", 30, tmp_path)
        org("Центр Б", 30, tmp_path)
        unhappy("Центр В", tmp_path)
        code, out, _ = run(capsys, "score", str(tmp_path), "--rating")
        assert code == 0
        assert "Возможные места" in out
        lines = {line.split()[3]: line.split() for line in out.splitlines() if "Центр" in line}
        # А and Б tie (93,6): under social-2018 they share place 1 and may be 1st or 2nd
        assert lines["А"][:2] == ["1", "1–2"] and lines["Б"][:2] == ["1", "1–2"]
        assert lines["В"][:2] == ["3", "3"]
        assert " ".join(lines["А"]).endswith("93,6 (86,6–100,0)")
