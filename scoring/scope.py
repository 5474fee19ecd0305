"""What applies to an organization: indicators by its service forms, and its survey sample
against the methodology's minimum."""

from __future__ import annotations

from scoring.formulas import fmt
from scoring.model import AssessmentInput, Indicator, Methodology


def applies(indicator: Indicator, forms: tuple[str, ...]) -> bool:
    """Does the indicator apply to an organization with these service forms?"""
    return indicator.forms is None or not forms or bool(indicator.forms.intersection(forms))


def sample_shortfall(methodology: Methodology, inp: AssessmentInput) -> tuple[int, int] | None:
    """``(respondents, minimum)`` when the survey sample is below the methodology's minimum;
    None when it is not, or when recipients or respondents are unknown."""
    recipients = inp.organization.recipients
    if recipients is None or inp.respondents is None:
        return None
    need = methodology.sample.minimum(recipients)
    if inp.respondents >= need:
        return None
    return inp.respondents, need


def sample_warning(methodology: Methodology, inp: AssessmentInput) -> str | None:
    shortfall = sample_shortfall(methodology, inp)
    if shortfall is None:
        return None
    respondents, need = shortfall
    rule = methodology.sample
    return (
        f"выборка меньше минимальной: опрошено {respondents}, нужно не менее {need} "
        f"({fmt(rule.min_share * 100)} % от {inp.organization.recipients} получателей, не более {rule.cap})"
    )
