"""What every document says of its campaign: the title once with its region, the status of the
results, and a banner on every page while they are not published."""

from __future__ import annotations

from documents.model import PRELIMINARY_BANNER, Campaign


class CampaignHeaderTests:
    def test_the_title_adds_the_region_and_then_the_status(self) -> None:
        campaign = Campaign(name="НОК 2026", region="Кемеровская область",
                            status="опубликованные результаты, редакция 1 от 01.12.2026")
        assert campaign.title == ("НОК 2026, Кемеровская область "
                                  "(опубликованные результаты, редакция 1 от 01.12.2026)")

    def test_a_name_that_already_names_the_region_does_not_get_it_twice(self) -> None:
        campaign = Campaign(name="НОК 2026: Кемеровская область — социальное обслуживание",
                            region="Кемеровская область")
        assert campaign.title == "НОК 2026: Кемеровская область — социальное обслуживание"
        inflected = Campaign(name="НОК 2026: организации Кемеровской области",
                             region="Кемеровская область")
        assert inflected.title == "НОК 2026: организации Кемеровской области"
        assert Campaign(name="НОК 2026", region="Тульская область").title == \
            "НОК 2026, Тульская область"

    def test_only_unpublished_results_carry_the_banner(self) -> None:
        assert Campaign(name="НОК", preliminary=True).banner == PRELIMINARY_BANNER
        assert Campaign(name="НОК").banner == ""

    def test_without_a_name_the_year_describes_the_assessment(self) -> None:
        assert Campaign(year=2026).title == "независимая оценка качества 2026 года"
