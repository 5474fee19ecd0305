"""Text with a NUL character never reaches a view, a service or the database.

PostgreSQL cannot store U+0000 in text («PostgreSQL text fields cannot contain NUL») nor in
JSON («unsupported Unicode escape sequence»), and nobody types it: it comes from a damaged
paste or a hostile client. Refused here, once, for every form and query string of the site
(the survey's screens and autosave, paper entry, the registry, imports' own fields), it cannot
fail a write halfway with a 500. Uploaded files are checked by their reader
(``nok.core.tabular``), which refuses a NUL in any cell.

- a NUL in the path: 404 (no page has such an address);
- a NUL in a field name or value of the query string or the form, or in an uploaded file's
  name: 400 with a Russian message, nothing done;
- a cookie holding a NUL is dropped (as if the browser had not sent it): browsers never send
  one, and refusing every request would lock the visitor out until the cookie expired.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

NUL = "\x00"
MESSAGE = ("В отправленных данных есть нулевой символ (NUL): его нельзя ввести с клавиатуры и "
           "нельзя сохранить. Скорее всего, текст вставлен из повреждённого файла — уберите этот "
           "символ и отправьте форму ещё раз. Ничего не сохранено.")


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404("NUL in the path")
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            request.COOKIES = {key: value for key, value in request.COOKIES.items()
                               if NUL not in key and NUL not in value}
        if (_has_nul(request.GET) or _has_nul(request.POST)
                or any(NUL in key or any(NUL in (upload.name or "") for upload in uploads)
                       for key, uploads in request.FILES.lists())):
            return render(request, "core/bad_request.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
