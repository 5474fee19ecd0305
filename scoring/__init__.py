"""Framework-free scoring core of `nok`: methodologies, scores, integral values, ratings, and
the 95 % intervals of survey-based figures (:mod:`scoring.uncertainty`).

Stdlib only; never imports Django; no file I/O except its own package data.
See the module docstrings for the contracts (units, None semantics, rounding, boundaries).
"""

from scoring.aggregate import score
from scoring.assessment_file import parse_assessment
from scoring.errors import InputError, MethodologyError, ScoringError
from scoring.formulas import fmt
from scoring.methodology import builtin_definition, builtin_names, load_methodology
from scoring.model import (
    AssessmentInput,
    Checklist,
    Count,
    Criterion,
    Figure,
    Indicator,
    Interval,
    Item,
    Methodology,
    Option,
    OrganizationInfo,
    Question,
    RatingEntry,
    RatingRow,
    Ratio,
    Result,
    SampleRule,
    Source,
)
from scoring.rating import rate
from scoring.uncertainty import (
    INTERVAL_SENTENCE,
    RANGE_SENTENCE,
    digits_for,
    fmt_interval,
    fmt_with_interval,
    indistinguishable_groups,
    position_ranges,
    responses_needed,
)

__all__ = [
    "INTERVAL_SENTENCE", "RANGE_SENTENCE", "AssessmentInput", "Checklist", "Count", "Criterion",
    "Figure", "Indicator", "InputError", "Interval", "Item", "Methodology", "MethodologyError", "Option",
    "OrganizationInfo", "Question", "RatingEntry", "RatingRow", "Ratio", "Result", "SampleRule",
    "ScoringError", "Source", "builtin_definition", "builtin_names", "digits_for", "fmt", "fmt_interval",
    "fmt_with_interval", "indistinguishable_groups", "load_methodology", "parse_assessment",
    "position_ranges", "rate", "responses_needed", "score",
]
