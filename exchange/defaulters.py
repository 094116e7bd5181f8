"""One batch of a people's court's Judgment Defaulters List (R-DES-8, HL 28): each entry drafts a designation for
review, through the same service as the court-list form (``designations.services.designation_create_from_court_list``:
the court's document recorded through the lawful-data guard, then the draft, which follows the whole due process:
notice, statement, approval by another person). Nothing is listed by the import: every draft waits for its caseworker.

An entry already drafted in the department (its list reference) is "already imported"; the subjects the list names
and the department has not registered are registered first, in bulk, as the record import does. The error report and
the pages show no identifier whole (R-DIS-4): a person's number is sealed and shown masked like any other.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.choices import PublicationStatus
from creditportal.audit import insert_tracked, record_events
from designations.models import Designation
from designations.services import designation_create_from_court_list
from subjects.models import CreditSubject

from .reader import DEFAULTER_COLUMNS
from .records import BatchResult, Context, Row, _date, _subjects, new_subjects, shape_columns, shape_subject

_MAX = {"list_reference": 100, "court": 200, "judgment_number": 100, "subject_name": 200, "facts": 4000}


def _shape(row: Row, ctx: Context) -> None:
    if not shape_columns(row, DEFAULTER_COLUMNS, _MAX):
        return
    shape_subject(row, ctx)
    row.determined_on = _date(row, "judgment_effective_on", required=True)
    if row.determined_on and row.determined_on > ctx.today:
        row.refuse(
            "judgment_effective_on",
            _("%(label)s cannot be later than today (%(today)s).")
            % {"label": _("Court document effective on"), "today": ctx.today.isoformat()},
        )


def process_batch(rows: list[tuple[int, dict[str, str]]], ctx: Context, *, job) -> BatchResult:
    """Draft a designation for each entry of ``rows``; the caller holds the transaction and the job's lock."""
    result = BatchResult()
    batch = [Row(number, values) for number, values in rows]
    for row in batch:
        _shape(row, ctx)
    live = [row for row in batch if not row.errors]
    seen: set[str] = set()
    drafted = set(
        Designation.objects.filter(
            department=ctx.department, court_list_reference__in={row.values["list_reference"] for row in live}
        ).values_list("court_list_reference", flat=True)
    )
    for row in live:
        reference = row.values["list_reference"]
        if reference in seen:
            row.refuse("list_reference", _("This entry appears earlier in the file."))
        elif reference in drafted:
            row.unchanged = True  # type: ignore[attr-defined]
            result.unchanged += 1
        seen.add(reference)
    live = [row for row in live if not row.errors and not getattr(row, "unchanged", False)]
    _subjects(live, ctx)
    live = [row for row in live if not row.errors]
    reason = _("Judgment Defaulters List imported")
    new = new_subjects(live)
    insert_tracked(new, actor=ctx.actor, reason=reason)
    record_events(
        action="subjects.subject.created",
        actor=ctx.actor,
        department=ctx.department,
        model=CreditSubject,
        object_ids=[subject.pk for subject in new],
        reason=reason,
        at=ctx.now,
    )
    result.subjects_created = len(new)
    measures = list(job.standard.allowed_measures.filter(measure_list__status=PublicationStatus.PUBLISHED))
    for row in live:
        values = row.values
        assert row.determined_on is not None  # noqa: S101 — a row without its date was refused above
        try:
            with transaction.atomic():  # one entry refused leaves the others
                designation_create_from_court_list(
                    actor=ctx.actor,
                    subject=row.subject,
                    department=ctx.department,
                    standard=job.standard,
                    measures=measures,
                    list_reference=values["list_reference"],
                    court=values["court"],
                    judgment_number=values["judgment_number"],
                    judgment_effective_on=row.determined_on,
                    facts=values.get("facts")
                    or _("Listed by %(court)s on the Judgment Defaulters List (%(ref)s).")
                    % {"court": values["court"], "ref": values["list_reference"]},
                    proposed_listing_months=job.listing_months,
                    reason=reason,
                )
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in fields.items():
                row.refuse(field if field in values else "", " ".join(messages))
        except PermissionDenied as error:
            row.refuse("", str(error))
        else:
            result.drafted += 1
    result.errors = [(row.number, column, message) for row in batch for column, message in row.errors]
    return result
