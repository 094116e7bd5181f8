"""The access log of the API (R-SEC-2, R-SEC-3; ``creditportal.access``): what the pages register, the API registers
the same way. A subject or record read by its id is "opened", for the purpose the request states in
``X-Access-Purpose`` (and ``X-Access-Purpose-Text``), else the purpose declared on the credential; a list or a lookup
registers each subject it returned as "appeared in a search result", with no purpose, as the lists do."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from creditportal.access import Target, _who, label_of, page_name, record_listed, target_of
from creditportal.choices import AccessKind, AccessPurpose
from creditportal.models import AccessEntry

PURPOSE_HEADER = "X-Access-Purpose"
PURPOSE_TEXT_HEADER = "X-Access-Purpose-Text"


def stated_purpose(request) -> tuple[str, str]:
    """The purpose of this request: its header's, checked, else its credential's."""
    credential = request._request.api_credential
    purpose = request.headers.get(PURPOSE_HEADER, "").strip()
    text = request.headers.get(PURPOSE_TEXT_HEADER, "").strip()
    if not purpose:
        return credential.purpose, credential.purpose_text
    if purpose not in AccessPurpose.values:
        raise exceptions.ValidationError(
            {
                PURPOSE_HEADER: [
                    _("Not one of the purposes: %(purposes)s.") % {"purposes": ", ".join(AccessPurpose.values)}
                ]
            }
        )
    if purpose == AccessPurpose.OTHER and not text:
        raise exceptions.ValidationError({PURPOSE_TEXT_HEADER: [_("State the purpose when you choose “Other”.")]})
    return purpose, text[:200]


def register_opened(request, obj, *, fields: Iterable[str]) -> AccessEntry | None:
    """R-SEC-3: ``obj`` (a subject, or a record of one) was delivered to the credential, for the stated purpose."""
    target: Target | None = target_of(obj)
    if target is None:
        return None
    purpose, text = stated_purpose(request)
    return AccessEntry.objects.create(
        **_who(request),
        department_id=target.department_id,
        subject_id=target.subject_id,
        kind=AccessKind.OPENED,
        page=page_name(request),
        shown=list(target.shown),
        fields=list(fields),
        purpose=purpose,
        purpose_text=text,
    )


def register_listed(request, rows: Iterable, *, subject_path: str, fields: Iterable[str]) -> int:
    """R-SEC-3: each subject of ``rows`` appeared in a search result (one INSERT)."""
    listed = [(getattr(row, subject_path), row.department_id, label_of(row)) for row in rows]
    if not listed:
        return 0
    return record_listed(request, listed, page=page_name(request), fields=fields)
