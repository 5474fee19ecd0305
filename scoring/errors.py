"""The error hierarchy of the scoring core.

Every error message is in Russian (it reaches operators through the web UI and the CLI) and
starts with the location of the problem: a JSON path inside a methodology document
(``criteria[2].indicators[1].weight``) or a field of an assessment file
(``survey.answers.timely.yes``).
"""

from __future__ import annotations


class ScoringError(Exception):
    """Base class: anything the scoring core refuses to work with."""


class MethodologyError(ScoringError):
    """A methodology document is malformed; ``path`` is the JSON path of the offending value."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(ScoringError):
    """An assessment input is malformed; ``field`` names the offending field (dotted path)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)
