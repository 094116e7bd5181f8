"""The name a downloaded file is saved under (issue 16): what it is, never the storage name.

Uploaded files are stored under a name the storage makes unique (``objection_application_KwRNFld.pdf``). A person
who downloads one keeps it beside other files, so it is named for what it is and whose case it belongs to: its
label, the case's number, and the stored file's type (``书面异议及材料-12.pdf``). Every download of a stored file
goes through ``file_response``, so a file the storage lost is a page that says so, never a 500."""

import logging
from pathlib import PurePosixPath

from django.http import FileResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def readable_name(label, stored_name: str, *, number: object = None) -> str:
    """``label`` (translated now), ``-number`` when given, and the stored file's suffix."""
    suffix = PurePosixPath(stored_name).suffix.lower()
    stem = f"{label}-{number}" if number is not None else str(label)
    return f"{stem}{suffix}"


def file_response(request, file, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """The stored ``file`` as the download, or — when the storage no longer holds it (a volume lost, a bucket
    misconfigured) — a page that says the file is missing and whom to tell (status 404), and an error logged for the
    operator with the file's name: never a 500 that says nothing."""
    try:
        opened = file.open("rb")
    except OSError:
        logger.error("downloads: %s is missing from the storage", file.name)
        return render(request, "creditportal/file_missing.html", status=404)
    return FileResponse(opened, as_attachment=as_attachment, filename=filename, content_type=content_type)
