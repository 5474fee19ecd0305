"""Logs keep where an error happened, never what it said.

An exception's message may quote what a request carried: a respondent's free-text answer, a
name in an imported file, a value refused by the database. The filter below, on every log
handler of the site, replaces the message of every logged exception (and of the exceptions it
chains) by its type, keeping the traceback's files, lines and functions — enough to find the
fault, nothing a respondent typed. Log messages themselves are written by our code and by
Django (a request's method and path, never its body).
"""

from __future__ import annotations

import logging


class HiddenMessage(Exception):
    """Stands in for a logged exception whose message is not written down."""


class HideExceptionMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, _, traceback = record.exc_info
            name = f"{exc_type.__module__}.{exc_type.__qualname__}" if exc_type else "Exception"
            record.exc_info = (
                HiddenMessage, HiddenMessage(f"{name} (текст сообщения не записывается)"), traceback,
            )
            record.exc_text = None
        return True
