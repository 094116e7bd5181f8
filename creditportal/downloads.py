"""The name a downloaded file is saved under (issue 16): what it is, never the storage name.

Uploaded files are stored under a name the storage makes unique (``objection_application_KwRNFld.pdf``). A person
who downloads one keeps it beside other files, so it is named for what it is and whose case it belongs to: its
label, the case's number, and the stored file's type (``书面异议及材料-12.pdf``)."""

from pathlib import PurePosixPath


def readable_name(label, stored_name: str, *, number: object = None) -> str:
    """``label`` (translated now), ``-number`` when given, and the stored file's suffix."""
    suffix = PurePosixPath(stored_name).suffix.lower()
    stem = f"{label}-{number}" if number is not None else str(label)
    return f"{stem}{suffix}"
