"""Errors of the site audit; messages are Russian (they reach operators)."""

from __future__ import annotations


class SiteAuditError(Exception):
    """Base class: the audit could not be done."""


class UnsafeAddress(SiteAuditError):
    """A host resolves to an address the crawler may not use, or does not resolve at all."""

    def __init__(self, host: str, reason: str, *, unresolved: bool = False) -> None:
        self.host = host
        self.reason = reason
        self.unresolved = unresolved
        super().__init__(f"адрес «{host}» не проверяется: {reason}")


class SiteUnreachable(SiteAuditError):
    """The start page of the site could not be fetched at all."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"сайт {url} недоступен: {reason}")


class BadAddress(SiteAuditError):
    """The address typed is not a web address."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(f"«{url}» — {reason}")
