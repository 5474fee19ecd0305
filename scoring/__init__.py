"""Framework-free scoring core of `nok`: methodologies, scores, integral values, ratings, and
the 95 % intervals of survey-based figures (:mod:`scoring.uncertainty`).

Stdlib only; never imports Django; no file I/O except its own package data.
See the module docstrings for the contracts (units, None semantics, rounding, boundaries).
"""

from scoring.assessment_file import parse_assessment, to_assessment_file
from scoring.errors import InputError, MethodologyError, ScoringError
from scoring.export import (
    EXPORT_FORMAT,
    Export,
    ExportEntry,
    definition_sha256,
    differences,
    export_entry,
    is_export,
    read_export,
    results_of,
)
from scoring.formulas import fmt
from scoring.headline import Figures, Headline, figures, headlines
from scoring.methodology import builtin_definition, builtin_names, load_methodology
from scoring.model import (
    AssessmentInput,
    Checklist,
    Count,
    Criterion,
    Detect,
    Figure,
    FormControl,
    Indicator,
    Interval,
    Item,
    Methodology,
    Option,
    OrganizationInfo,
    Question,
    RatingEntry,
    RatingPolicy,
    RatingRow,
    Ratio,
    Result,
    SampleRule,
    Source,
)
from scoring.rating import missing_criteria, rate, rating_reasons
from scoring.scorer import score
from scoring.shortcomings import Shortcoming, describe_bar, shortcomings
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
    "EXPORT_FORMAT", "INTERVAL_SENTENCE", "RANGE_SENTENCE", "AssessmentInput", "Checklist",
    "Count", "Criterion", "Detect", "Export", "ExportEntry", "Figure", "Figures", "FormControl", "Headline",
    "Indicator",
    "InputError",
    "Interval", "Item", "Methodology", "MethodologyError", "Option", "OrganizationInfo",
    "Question", "RatingEntry", "RatingPolicy", "RatingRow", "Ratio", "Result", "SampleRule",
    "ScoringError", "Shortcoming", "Source", "builtin_definition", "builtin_names", "definition_sha256",
    "describe_bar", "differences", "digits_for", "export_entry", "figures", "fmt", "fmt_interval",
    "fmt_with_interval",
    "headlines",
    "indistinguishable_groups", "is_export", "load_methodology", "missing_criteria",
    "parse_assessment", "position_ranges", "rate", "rating_reasons", "read_export",
    "responses_needed", "results_of", "score", "shortcomings", "to_assessment_file",
]
