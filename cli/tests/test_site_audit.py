"""`nok site-audit` against a local fixture site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import scoring
from cli.__main__ import main
from siteaudit.tests.fixtures import site_joomla
from siteaudit.tests.fixtures.kit import serve

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ("--delay", "0", "--allow-private-addresses")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class SiteAuditCommandTests:
    def test_it_prints_json_with_a_key_for_every_site_item_and_remote_channel(self, capsys):
        site = site_joomla.build()
        with serve(site.files) as (base, _):
            code, out, err = run(capsys, "site-audit", base + "/", "--format", "json", *LOCAL)
        assert (code, err) == (0, "")
        data = json.loads(out)
        m = scoring.load_methodology("social-2018")
        assert data["url"] == base + "/"
        assert list(data["items"]) == [i.key for i in m.checklist("site").items]
        assert list(data["remote_channels"]) == [i.key for i in m.checklist("remote_channels").items]
        assert data["site_for_visually_impaired"]["found"] is False
        assert {p["url"] for p in data["pages"]} >= {base + "/", base + "/index.php/svedeniya"}
        founding = data["items"]["founding"]
        assert founding["found"] is True
        assert founding["evidence"][0]["url"] == base + "/index.php/svedeniya"
        assert "регистрации" in " ".join(e["text"] for e in founding["evidence"])
        assert data["items"]["tariffs"] == {"label": m.checklist("site").item("tariffs").label,
                                            "found": False, "evidence": []}

    def test_the_table_is_a_russian_summary(self, capsys):
        site = site_joomla.build()
        with serve(site.files) as (base, _):
            code, out, _ = run(capsys, "site-audit", base + "/", "--format", "table", *LOCAL)
        assert code == 0
        assert "Информация на сайте: найдено 13 из 21" in out
        assert "[нет ] Тарифы на социальные услуги и порядок их оплаты" in out
        assert "Дистанционные способы взаимодействия: найдено 4 из 5" in out

    def test_max_pages_limits_the_crawl(self, capsys):
        site = site_joomla.build()
        with serve(site.files) as (base, log):
            code, out, _ = run(capsys, "site-audit", base + "/", "--max-pages", "2", *LOCAL)
        assert code == 0
        assert len([p for p in json.loads(out)["pages"] if p["kind"] == "html"]) == 2

    def test_save_pages_keeps_a_copy_of_every_cited_page(self, capsys, tmp_path):
        site = site_joomla.build()
        with serve(site.files) as (base, _):
            code, out, _ = run(capsys, "site-audit", base + "/", "--save-pages",
                               str(tmp_path / "copies"), *LOCAL)
        assert code == 0
        founding = json.loads(out)["items"]["founding"]["evidence"][0]
        copy = Path(founding["copy"])
        assert copy.parent == tmp_path / "copies"
        assert "Дата государственной регистрации" in copy.read_text(encoding="utf-8")
        assert copy.read_bytes() == site.files["/index.php/svedeniya"].body

    def test_an_unreachable_site_is_a_clear_error_with_exit_status_2(self, capsys):
        code, out, err = run(capsys, "site-audit", "http://127.0.0.1:9/", *LOCAL)
        assert (code, out) == (2, "")
        assert err == "nok: сайт http://127.0.0.1:9/ недоступен: не удалось соединиться\n"

    def test_a_private_address_is_refused_without_the_flag(self, capsys):
        site = site_joomla.build()
        with serve(site.files) as (base, log):
            code, out, err = run(capsys, "site-audit", base + "/", "--delay", "0")
        assert (code, out, log) == (2, "", [])
        assert "частной, локальной или служебной сети" in err

    def test_a_bad_methodology_file_is_named(self, capsys, tmp_path):
        path = tmp_path / "m.json"
        path.write_text("{}", encoding="utf-8")
        code, out, err = run(capsys, "site-audit", "http://127.0.0.1:9/", "--methodology", str(path))
        assert (code, out) == (2, "")
        assert err.startswith(f"nok: {path}: ") and "обязательное поле отсутствует" in err

    def test_it_runs_as_a_real_process(self):
        site = site_joomla.build()
        with serve(site.files) as (base, _):
            proc = subprocess.run([sys.executable, "-m", "cli", "site-audit", base + "/", *LOCAL],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["remote_channels"]["e_services"]["found"] is True
