"""Files from the storage (evidence, stored page copies, archives), served by a view that has
already checked who may see them."""

from __future__ import annotations

from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file(field_file: FieldFile, *, missing: str = "Файл не найден в хранилище",
                **options: Any) -> FileResponse:
    """The file, never cached on the way (it is private to the people allowed to see it);
    404 with ``missing`` when the storage no longer has it. ``options`` go to FileResponse;
    its name defaults to the stored file's."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(missing) from exc
    options.setdefault("filename", (field_file.name or "").rsplit("/", 1)[-1])
    response = FileResponse(handle, **options)
    response["Cache-Control"] = "private, no-store"
    return response
