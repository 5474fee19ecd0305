"""Website audit of a social-service organization against a methodology's site checklists.

Framework-free (never imports Django or the web application): the offline CLI and the web
application both use it. :func:`audit` crawls the site (:mod:`siteaudit.crawl`: breadth-first,
robots.txt, one request at a time, checked addresses) and looks for every item of the
methodology's ``site`` and ``remote_channels`` checklists and for the ``site_for_visually_impaired``
item of ``disabled_services`` (:mod:`siteaudit.detect`). Every finding carries its evidence:
the address, the matched fragment, and — in ``AuditReport.pages`` — the bytes of the page or
document as fetched. The result is a suggestion: an operator confirms or rejects it.

Rules (the optional ``"detect"`` object of a checklist item in the methodology JSON; a region's
own methodology file changes or extends them)::

    "detect": {
      "headings":  ["попечительский совет"],          names of the section holding the item
      "content":   [["состав", "председатель"], ...],  every group must match in that section
      "patterns":  ["phone", "email"],                 named patterns that must match too
      "documents": ["положение о попечительском совете"],  names of linked documents
      "links":     ["bus.gov.ru", "tel:"],             substrings of link addresses
      "markers":   ["bvi-open"],                       substrings of class/id/src/href values
      "exclude":   ["трудового"],                      vetoes a name or document that has it
      "form":      true,                               the section must hold a form to type in
      "near": {"within": 300,                          also found anywhere on a non-news page
               "content": [[...]], "patterns": [...]}  where these match within N characters
    }

Terms are matched case-insensitively with ``ё`` = ``е`` and any Russian ending
(:mod:`siteaudit.match`); ``re:…`` terms are regular expressions. Named patterns: ``phone``,
``email``, ``person_name`` (Фамилия Имя Отчество, Фамилия И.О.), ``date``, ``time``,
``weekday``, ``money``, ``number``, ``question``, ``year``. What counts as evidence of each
kind, and what does not (news, stubs «раздел в разработке», empty pages, dead links), is
described in :mod:`siteaudit.detect`.
"""

from siteaudit.audit import AuditReport, audit, audited_items, detect
from siteaudit.crawl import CrawlResult, CrawlSettings, Page, crawl, start_address
from siteaudit.detect import Evidence, Finding
from siteaudit.errors import BadAddress, SiteAuditError, SiteUnreachable, UnsafeAddress
from siteaudit.fetch import FetchSettings

__all__ = [
    "AuditReport", "BadAddress", "CrawlResult", "CrawlSettings", "Evidence", "FetchSettings",
    "Finding", "Page", "SiteAuditError", "SiteUnreachable", "UnsafeAddress", "audit",
    "audited_items", "crawl", "detect", "start_address",
]
