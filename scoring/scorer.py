"""The entry point :func:`score`: one organization, either scale."""

from __future__ import annotations

from scoring.aggregate import score_criteria
from scoring.errors import InputError
from scoring.integral import score_integral
from scoring.model import EMPTY_POLICIES, AssessmentInput, Methodology, Result


def score(methodology: Methodology, inp: AssessmentInput, *, empty_policy: str | None = None) -> Result:
    """Score one organization; see the module docstrings of ``aggregate`` and ``integral``."""
    policy = empty_policy or methodology.empty_policy
    if policy not in EMPTY_POLICIES:
        raise InputError("empty_policy", f"«{policy}» — допустимо: {', '.join(EMPTY_POLICIES)}")
    if methodology.scale == "integral":
        return score_integral(methodology, inp, policy)
    return score_criteria(methodology, inp, policy)
