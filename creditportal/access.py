"""Purpose-bound access to subjects' information (R-SEC-2, R-SEC-3; issue 21).

A page, document or file that shows a credit subject's non-public information asks, once per subject and session,
why the person opens it (``AccessPurpose``: a short declared list, and free text for "other"), and registers every
look in the access log (``AccessEntry``): who, in which role and department, which subject and objects, which
information was delivered, the purpose, when, from where and the request's id. A list or export registers each
subject it showed as "appeared in a search result" or "exported", with no purpose asked (lists show masked
numbers only, R-DIS-4).

- ``SubjectAccessMixin``: the one way a view shows a subject's information. It reads the object through the view's
  scope first (another department's object stays a 404), then asks for the purpose if none is declared, then
  renders and writes the entry.
- ``record_listed`` / ``record_exported``: the lists' and exports' entries, set-based (one INSERT per page or export).
- ``purge_expired``: the entries older than the profile's ``inquiry_record_years`` go, leaving a signed count (an
  audit event, itself in the ledger); ``creditportal.ledger.verify`` accepts exactly those gaps.

tests/test_access_matrix.py requests every view of the URL resolver and fails on any that shows a subject without an
entry, as the permission matrix does for permissions.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core import signing
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AccessKind, AccessPurpose
from .logging import current_request_id
from .models import AccessEntry

#: Where the purposes declared in this session are kept: ``{subject id: [purpose, text]}``.
SESSION_KEY = "access_purposes"
#: The salt of the purpose form's ticket (which subject, whose name, and where to go back to).
TICKET_SALT = "creditportal.access.ticket"
#: The salt of a purge's signed count.
PURGE_SALT = "creditportal.access.purge"
PURGE_ACTION = "creditportal.access.purged"
#: The response header that marks the purpose question (scripts and tests tell it from the page asked for).
PURPOSE_HEADER = "X-Access-Purpose-Required"


@dataclass(frozen=True)
class Target:
    """What a page shows: the subject, the department that holds what is shown, and the objects (``label:pk``)."""

    subject_id: int
    department_id: int
    name: str
    shown: tuple[str, ...] = field(default_factory=tuple)


def page_name(request) -> str:
    """The URL name of the page being answered (what the access log calls the page)."""
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "") if match else ""


def label_of(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


# --- the purpose ---------------------------------------------------------------------------------------------------


def declared_purpose(request, subject_id: int) -> tuple[str, str] | None:
    """The purpose declared for ``subject_id`` in this session, if any."""
    value = request.session.get(SESSION_KEY, {}).get(str(subject_id))
    return (value[0], value[1]) if value else None


def declare_purpose(request, subject_id: int, purpose: str, text: str) -> None:
    """Keep the purpose for the rest of the session (R-SEC-2: for this use; the next session asks again)."""
    purposes = dict(request.session.get(SESSION_KEY, {}))
    purposes[str(subject_id)] = [purpose, text]
    request.session[SESSION_KEY] = purposes


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why do you open this information?"), choices=AccessPurpose.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Case number or explanation"),
        max_length=200,
        required=False,
        help_text=_("Required for “Other”; a case or document number helps the auditor."),
    )
    ticket = forms.CharField(widget=forms.HiddenInput)

    def clean_ticket(self) -> dict:
        try:
            return signing.loads(self.cleaned_data["ticket"], salt=TICKET_SALT, max_age=datetime.timedelta(hours=12))
        except signing.BadSignature as exc:
            raise forms.ValidationError(_("This form has expired: open the page again.")) from exc

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("purpose") == AccessPurpose.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("State the purpose when you choose “Other”."))
        return cleaned


def session_mark(request) -> str:
    """A digest of the session's key: a ticket answers the question in the session that asked it, never in another
    (the next session asks again, R-SEC-2)."""
    import hashlib

    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()[:16]


def ticket_for(request, target: Target, *, next_path: str | None = None) -> str:
    return signing.dumps(
        {
            "subject": target.subject_id,
            "name": target.name,
            "next": next_path or request.get_full_path(),
            "user": request.user.pk,
            "session": session_mark(request),
        },
        salt=TICKET_SALT,
    )


def purpose_page(request, form: PurposeForm, name: str) -> HttpResponse:
    response = render(
        request,
        "creditportal/access_purpose.html",
        {"form": form, "subject_name": name, "action": reverse("access_purpose")},
    )
    response[PURPOSE_HEADER] = "1"
    return response


def ask_purpose(request, target: Target, *, next_path: str | None = None) -> HttpResponse:
    """The question, in place of the page asked for (its address stays; the answer comes back to it, or to
    ``next_path``)."""
    ticket = ticket_for(request, target, next_path=next_path)
    return purpose_page(request, PurposeForm(initial={"ticket": ticket}), target.name)


# --- the entries ---------------------------------------------------------------------------------------------------


def _who(request) -> dict:
    from .middleware import client_address
    from .permissions import active_roles, first_department_id

    user = request.user
    return {
        "user_id": user.pk,
        "roles": ",".join(sorted(active_roles(user))) or user.system_role or "",
        "user_department_id": first_department_id(user),
        "address": client_address(request),
        "request_id": current_request_id.get() or "",
    }


def record_opened(request, target: Target, *, kind: str, page: str, fields: Iterable[str]) -> AccessEntry:
    """R-SEC-3: a page or document of ``target`` was delivered, for the purpose declared in this session."""
    purpose, text = declared_purpose(request, target.subject_id) or ("", "")
    return AccessEntry.objects.create(
        **_who(request),
        department_id=target.department_id,
        subject_id=target.subject_id,
        kind=kind,
        page=page,
        shown=list(target.shown),
        fields=list(fields),
        purpose=purpose,
        purpose_text=text,
    )


def record_listed(request, rows: Iterable[tuple[int, int, str]], *, page: str, fields: Iterable[str]) -> int:
    """R-SEC-3: each ``(subject id, department id, object label)`` appeared in a search result: one INSERT."""
    return _bulk(request, rows, kind=AccessKind.LISTED, page=page, fields=fields)


def _exported(request, rows, *, page: str, fields: Iterable[str]) -> int:
    return _bulk(request, rows, kind=AccessKind.EXPORTED, page=page, fields=fields)


def _bulk(request, rows: Iterable[tuple[int, int, str]], *, kind: str, page: str, fields: Iterable[str]) -> int:
    """One entry per row of a list or export, in one statement: on PostgreSQL an ``INSERT … SELECT FROM unnest`` with
    one array parameter per varying column (issue 23: every list page writes its 25 entries; ``bulk_create``'s SQL,
    a parameter per value, took 9 ms of each page at provincial scale, this 4 ms), elsewhere ``bulk_create``."""
    fields = list(fields)
    rows = [(subject, department, shown) for subject, department, shown in rows if subject is not None]
    if not rows:
        return 0
    at = timezone.now()
    if connection.vendor != "postgresql":  # the quick start's SQLite
        who = _who(request)
        entries = [
            AccessEntry(
                **who,
                at=at,
                department_id=department,
                subject_id=subject,
                kind=kind,
                page=page,
                shown=[shown],
                fields=fields,
            )
            for subject, department, shown in rows
        ]
        return len(AccessEntry.objects.bulk_create(entries))
    subjects, departments, shown = zip(*rows, strict=True)
    return _insert_entries(
        request,
        kind=kind,
        page=page,
        fields=fields,
        rows="unnest(%s::bigint[], %s::bigint[], %s::text[]) AS r (subject, department, label)",
        params=[list(subjects), list(departments), [str(label) for label in shown]],
        shown="r.label",
        at=at,
    )


def _insert_entries(
    request, *, kind: str, page: str, fields: list[str], rows: str, params: list, shown: str, shown_params=(), at
) -> int:
    """The one statement that writes a list's or an export's entries (PostgreSQL): ``INSERT … SELECT`` from ``rows``
    (SQL naming ``r.subject`` and ``r.department``, with its ``params``), each entry showing ``shown`` (an SQL
    expression over ``r``, with its ``shown_params``); a row of no subject is left out. Returns the entries."""
    who = _who(request)
    insert = (
        f"INSERT INTO {AccessEntry._meta.db_table} (at, user_id, roles, user_department_id, department_id, "  # noqa: S608 -- the model's table; the callers' fixed SQL
        "subject_id, kind, page, shown, fields, purpose, purpose_text, address, request_id) "
        "SELECT %s::timestamptz, %s::bigint, %s::text, %s::bigint, r.department, r.subject, %s::text, %s::text, "
        f"jsonb_build_array({shown}), %s::jsonb, '', '', %s::inet, %s::text FROM {rows} WHERE r.subject IS NOT NULL"
    )
    head = [at, who["user_id"], who["roles"], who["user_department_id"], kind, page, *shown_params, json.dumps(fields)]
    with connection.cursor() as cursor:
        cursor.execute(insert, [*head, who["address"], who["request_id"], *params])
        return cursor.rowcount


def record_listed_in(request, context: dict, *, page: str) -> dict:
    """R-SEC-3: register each subject that the lists of a page's ``context`` show (work queues, "My work"): every
    list or queryset of case objects (with ``subject_id``) in it, evaluated once here (the template reuses the list)."""
    rows = _listed_rows(context)
    if rows:
        record_listed(request, rows, page=page, fields=["case"])
    return context


def _listed_rows(context: dict) -> list[tuple[int, int, str]]:
    rows = []
    for key, value in list(context.items()):
        if isinstance(value, dict):
            rows += _listed_rows(value)
            continue
        if isinstance(value, QuerySet):
            value = context[key] = list(value)
        if isinstance(value, list):
            rows += [
                (case.subject_id, case.department_id, label_of(case))
                for case in map(_case_of, value)
                if case is not None
            ]
    return rows


def _case_of(item):
    """The case object behind a row of a queue: the row itself when it names a subject, else the case or record it
    stands for and has already loaded (a clock's ``DueEntry.case``, a revocation's ``record``: never a query per
    row); None for a row of no subject."""
    for candidate in (item, _loaded(item, "case"), _loaded(item, "record")):
        if getattr(candidate, "subject_id", None) is not None and hasattr(candidate, "department_id"):
            return candidate
    return None


def _loaded(obj, name: str):
    """``obj.name`` when it is at hand: a plain attribute, or a relation a model instance has already fetched."""
    from django.db.models import Model

    if isinstance(obj, Model):
        return obj._state.fields_cache.get(name)
    return getattr(obj, name, None)


def record_exported(request, queryset: QuerySet, *, subject_path: str, page: str, fields: Iterable[str]) -> int:
    """R-SEC-3: every row of ``queryset`` (the export, already scoped and limited) is registered as exported, set-based:
    one ``INSERT … SELECT`` however many rows."""
    rows = queryset.values_list(subject_path, "department_id", "pk")
    if connection.vendor != "postgresql":  # the quick start's SQLite: the same rows, in batches
        label = queryset.model._meta.label_lower
        chunk: list[tuple[int, int, str]] = []
        total = 0
        for subject, department, pk in rows.iterator(chunk_size=2000):
            chunk.append((subject, department, f"{label}:{pk}"))
            if len(chunk) == 2000:
                total += _exported(request, chunk, page=page, fields=fields)
                chunk = []
        return total + _exported(request, chunk, page=page, fields=fields)
    sql, params = rows.query.sql_with_params()
    return _insert_entries(
        request,
        kind=AccessKind.EXPORTED.value,
        page=page,
        fields=list(fields),
        rows=f"({sql}) AS r (subject, department, pk)",
        params=list(params),
        shown="%s::text || r.pk::text",
        shown_params=[f"{queryset.model._meta.label_lower}:"],
        at=timezone.now(),
    )


# --- the view mixin ------------------------------------------------------------------------------------------------


class SubjectAccessMixin:
    """R-SEC-2, R-SEC-3: a view that shows a subject's information asks for the purpose and registers the look.

    Declare ``access_fields`` (what the page delivers: ``("identity", "contacts", "records")``) and, unless the view
    is a ``DetailView``, ``access_object`` (the attribute holding the object) or ``access_target()``; a file view
    puts its response in ``deliver``. ``access_kind`` is "opened" for pages and
    "document" for PDFs and files. GET is asked and registered here; a case page shown again after a refused act
    (a POST) is asked and registered by ``creditportal.cases.views.CasePostView.render_refused``.
    """

    access_fields: tuple[str, ...] = ()
    access_kind: str = AccessKind.OPENED
    #: The view's attribute that holds the object shown (read through the scope); "" for ``get_object()``.
    access_object: str = ""
    request: HttpRequest  # set by the View this mixin is combined with

    def access_target(self) -> Target | None:
        """The subject behind the view's object (read through the scope: another department's object is a 404
        before anything is asked)."""
        obj = getattr(self, self.access_object) if self.access_object else self.get_object()
        return target_of(obj)

    _access_object: Any = None

    def get_object(self, queryset=None):
        # One read of the object per request: the purpose question and the page use the same.
        if queryset is None and self._access_object is not None:
            return self._access_object
        obj = super().get_object(queryset)  # type: ignore[misc]  # the DetailView's
        if queryset is None:
            self._access_object = obj
        return obj

    def get(self, request, *args, **kwargs):
        target = self.access_target()
        if target is not None and declared_purpose(request, target.subject_id) is None:
            return ask_purpose(request, target)
        response = self.deliver(request, *args, **kwargs)
        if target is not None and response.status_code < 400:
            record_opened(request, target, kind=self.access_kind, page=page_name(request), fields=self.fields_shown())
        return response

    def fields_shown(self) -> tuple[str, ...]:
        """What this request delivered (``access_fields``; a view that reveals more on request adds it)."""
        return self.access_fields

    def deliver(self, request, *args, **kwargs):
        """The page or file itself (the view's own GET, unless the view overrides this)."""
        return super().get(request, *args, **kwargs)  # type: ignore[misc]  # the View's


def target_of(obj, *, shown: Iterable[object] = ()) -> Target | None:
    """The subject of a case object (a credit subject is its own), and the department that holds ``obj``."""
    subject = obj if obj._meta.label_lower == "subjects.creditsubject" else getattr(obj, "subject", None)
    if subject is None:
        return None
    return Target(
        subject_id=subject.pk,
        department_id=obj.department_id,
        name=subject.name,
        shown=(label_of(obj), *(label_of(o) for o in shown)),
    )


# --- retention -----------------------------------------------------------------------------------------------------


def _purge_key() -> str:
    from .ledger import _anchor_key

    return _anchor_key()  # the audit administrator's key, as the ledger's anchors are signed


def purge_expired(*, now: datetime.datetime | None = None) -> dict | None:
    """R-SEC-3: remove the entries older than the profile's ``inquiry_record_years`` (none when the profile keeps
    them without limit) and leave a signed count: an audit event, itself copied into the ledger, whose data the
    audit administrator checks with ``verify_purge``. Set-based: one DELETE."""
    from .audit import record_event, system_user
    from .profiles import current_profile

    profile = current_profile()
    years = profile.inquiry_record_years if profile is not None else None
    if not years:
        return None
    now = now or timezone.now()
    before = now - relativedelta(years=years)
    with transaction.atomic():
        count, _by_model = AccessEntry.objects.filter(at__lt=before).delete()
        summary = {"before": before.isoformat(), "count": count, "years": years}
        summary["signature"] = signing.dumps(summary, salt=PURGE_SALT, key=_purge_key())
        record_event(
            action=PURGE_ACTION,
            actor=system_user(),
            reason=str(_("Inquiry records kept for their period and purged")),
            data=summary,
        )
    return summary


def verify_purge(data: dict) -> bool:
    """True when a purge's count is the one it signed."""
    try:
        signed = signing.loads(data.get("signature", ""), salt=PURGE_SALT, key=_purge_key())
    except signing.BadSignature:
        return False
    return signed == {k: data.get(k) for k in ("before", "count", "years")}


def purged_before() -> datetime.datetime | None:
    """The furthest limit any signed purge removed entries before: entries older than it were removed lawfully (the
    ledger's verification accepts their rows missing). The greatest over every purge whose count verifies, so a
    longer keeping period set later never makes an earlier purge look like tampering."""
    from .models import AuditEvent

    limits = [
        datetime.datetime.fromisoformat(data["before"])
        for data in AuditEvent.objects.filter(action=PURGE_ACTION).values_list("data", flat=True)
        if verify_purge(data)
    ]
    return max(limits, default=None)
