"""The public results pages: no login, published campaigns only (read from the frozen
publication). Linked from the survey posters; built like the questionnaire for keyboard,
contrast and phones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nok.reports import selectors


def campaigns(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public/campaigns.html",
                  {"published": selectors.published_campaigns()})


def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = request.GET.get("type", "")
    found, page = selectors.public_campaign(pk, int(chosen) if chosen.isdigit() else None)
    results = page.results
    method = results.methodology
    return render(request, "reports/public/campaign.html", {
        "campaign": found, "results": results, "method": method, "types": page.types,
        "groups": selectors.with_criteria(results, page.groups()), "chosen": page.shown,
        "criteria": method.criteria,
        "is_integral": method.scale == "integral",
    })


def organization(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.public_card(pk)
    method = card.found.methodology
    result = card.found.result
    return render(request, "reports/public/organization.html", {
        "card": card, "campaign": card.campaign, "organization": card.assessment.organization,
        "method": method, "result": result, "place": card.found.place,
        "criteria": [(c, result.criteria.get(c.key)) for c in method.criteria],
        "total_interval": result.intervals.get("total"),
        "is_integral": method.scale == "integral",
        "shortcomings": card.shortcomings,
    })
