"""Framework-free scoring core of `nok`: methodologies, scores, integral values, ratings.

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
    Detect,
    Figure,
    Indicator,
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
)
from scoring.rating import rate

__all__ = [
    "AssessmentInput", "Checklist", "Count", "Criterion", "Detect", "Figure", "Indicator", "InputError",
    "Item", "Methodology", "MethodologyError", "Option", "OrganizationInfo", "Question",
    "RatingEntry", "RatingRow", "Ratio", "Result", "SampleRule", "ScoringError",
    "builtin_definition", "builtin_names", "fmt", "load_methodology", "parse_assessment",
    "rate", "score",
]
