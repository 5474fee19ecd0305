"""Framework-free scoring core of `nok`: methodologies, scores, integral values, ratings.

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
    RatingPolicy,
    RatingRow,
    Ratio,
    Result,
    SampleRule,
)
from scoring.rating import missing_criteria, rate, rating_reasons
from scoring.scorer import score

__all__ = [
    "EXPORT_FORMAT", "Export", "ExportEntry", "definition_sha256", "differences", "export_entry",
    "is_export", "read_export", "results_of",
    "AssessmentInput", "Checklist", "Count", "Criterion", "Detect", "Figure", "Indicator",
    "InputError",
    "Item", "Methodology", "MethodologyError", "Option", "OrganizationInfo", "Question",
    "RatingEntry", "RatingPolicy", "RatingRow", "Ratio", "Result", "SampleRule", "ScoringError",
    "builtin_definition", "builtin_names", "fmt", "load_methodology", "missing_criteria",
    "parse_assessment", "rate", "rating_reasons", "score", "to_assessment_file",
]
