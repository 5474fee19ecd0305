"""Organizations of seed 004 (Kemerovo region, 2016, social-2014) whose integral values are the
seed's: synthetic social-2014 inputs summing exactly to the printed integral (the seed gives
no raw data), with the shortcomings the seed lists where the catalogue has their wording."""

from __future__ import annotations

from typing import Any

import documents
import scoring

M = scoring.load_methodology("social-2014")
FORMS = ["semi_stationary"]
FULL = {"yes_no": True, "level3": "full", "share": 1.0, "score_0_1": 1.0, "band": 100,
        "waiting_minutes": 5, "negative_share": 0.0, "complaints_per_100": 0}
NONE = {"yes_no": False, "level3": "none", "share": 0.0, "score_0_1": 0.0, "band": 0,
        "waiting_minutes": 60, "negative_share": 1.0, "complaints_per_100": 10}
FRACTION = "0242000007"  # staffing share, a score 0..1 typed as a number

# (type, name, integral, place, codes the seed names as shortcomings)
VETERANS = "Областные дома ветеранов"
ADAPTATION = ("Центры социальной адаптации населения, дом ночного пребывания, дом временного и "
              "ночного пребывания")
PSYCH = "Центры психолого-педагогической помощи населению"
SEED_004 = [
    (VETERANS, "ГБУ Кемеровской области «Областной Центр социального обслуживания – областной дом "
               "ветеранов», г. Кемерово", 29.70, 1, ("0241000006", "0241000008", "02410000012")),
    (VETERANS, "ГБУ Кемеровской области «Областной Центр социального обслуживания граждан "
               "пожилого возраста и инвалидов», г.Новокузнецк", 27.90, 2,
     ("0241000008", "02410000012", "0244000003")),
    (ADAPTATION, "МБУ «Центр социальной адаптации населения г. Кемерово»", 35.10, 1, ()),
    (ADAPTATION, "МКУ «Дом временного и ночного пребывания», г. Белово", 34.90, 2, ()),
    (ADAPTATION, "МКУ «Дом ночного пребывания для лиц без определенного места жительства и "
                 "занятий», г. Анжеро-Судженск", 32.90, 3, ()),
    (PSYCH, "МКУ «Центр психолого-педагогической помощи», г.Прокопьевск", 36.60, 1, ()),
    (PSYCH, "МБУ «Центр психолого-педагогической помощи населению», г.Ленинск-Кузнецкий", 33.60, 2, ()),
    (PSYCH, "МКУ «Центр психолого-педагогической помощи населению», г.Междуреченск", 25.10, 3, ()),
]


def integral_document(name: str, org_type: str, integral: float, absent: tuple[str, ...] = ()) -> dict[str, Any]:
    """A social-2014 assessment file whose applicable scores sum to ``integral``: the codes in
    ``absent`` score 0, the fraction sits on the staffing share, then whole scores of 1 in the
    methodology's order and 0 for the rest."""
    codes = [i for i in M.indicators if i.forms is None or i.forms & set(FORMS)]
    whole = int(integral)
    fraction = round(integral - whole, 9)
    values: dict[str, Any] = {FRACTION: fraction}
    free = [i for i in codes if i.key != FRACTION and i.key not in absent]
    assert whole <= len(free)
    for index, ind in enumerate(free):
        values[ind.key] = (FULL if index < whole else NONE)[ind.kind]
    for key in absent:
        values[key] = NONE[M.indicator(key).kind]
    return {"format": 1, "methodology": M.slug,
            "organization": {"name": name, "type": org_type, "forms": FORMS, "recipients": None},
            "values": values}


def seed_004() -> list[documents.Assessed]:
    return [documents.assess(M, scoring.parse_assessment(integral_document(n, t, v, absent)),
                             key=f"seed-004-{i}")
            for i, (t, n, v, _place, absent) in enumerate(SEED_004)]
