"""The draft of the ministry's order approving a campaign's results (the appendix of the
regional report). A draft: number, date and signatory are left blank for the ministry."""

from __future__ import annotations

from dataclasses import dataclass

from documents.model import Region


@dataclass(frozen=True)
class Order:
    issuer: str  # the authorized body as its letterhead names it; empty when unknown
    title: str
    heading: str
    preamble: str
    points: tuple[str, ...]
    signature: str
    appendix: str


def draft_order(g: Region) -> Order:
    c = g.campaign
    # With its name known the body heads the order (its letterhead, nominative); without it
    # the title says whose order it is (genitive).
    issuer = c.ministry.strip()
    title = "ПРОЕКТ ПРИКАЗА" if issuer else (
        "ПРОЕКТ ПРИКАЗА уполномоченного органа в сфере социального обслуживания")
    where = f" ({c.region})" if c.region else ""
    when = f" в {c.year} году" if c.year else ""
    subject = (f"независимой оценки качества условий оказания услуг организациями социального "
               f"обслуживания{where}{when}")
    return Order(
        issuer=issuer,
        title=title,
        heading=f"Об утверждении результатов {subject}",
        preamble=(
            "В соответствии со статьёй 23.1 Федерального закона от 28.12.2013 № 442-ФЗ «Об основах "
            "социального обслуживания граждан в Российской Федерации», рассмотрев результаты "
            "независимой оценки качества, представленные оператором"
            + (f" ({c.operator})" if c.operator else "")
            + ", и решение общественного совета, приказываю:"
        ),
        points=(
            f"Утвердить результаты {subject} (рейтинг организаций по типам) согласно приложению.",
            "Руководителям организаций социального обслуживания в месячный срок разработать и "
            "утвердить планы по устранению недостатков, выявленных в ходе независимой оценки "
            "качества, по форме, утверждённой постановлением Правительства Российской Федерации "
            "от 17.04.2018 № 457, и разместить их на официальных сайтах организаций.",
            "Разместить результаты независимой оценки качества на официальном сайте для "
            "размещения информации о государственных и муниципальных учреждениях в сети "
            "«Интернет» (bus.gov.ru) и на официальном сайте уполномоченного органа.",
            "Контроль за исполнением настоящего приказа оставляю за собой.",
        ),
        signature="Министр ____________________ / ____________________ /",
        appendix=f"Приложение к приказу от «___» ____________ 20___ г. № _____: результаты {subject}",
    )
