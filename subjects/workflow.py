"""The credit record's life as one declared state machine (R-OBJ-5, R-OBJ-6, R-REC-4, R-REC-5, R-DIS-3, R-RES-4,
R-RES-6). Only ``RECORD.apply`` assigns ``CreditRecord.status``; set-based jobs (the expiry sweep) select their
rows with ``RECORD.sources_of(act)`` and change them with ``RECORD.apply_many``.

active ⇄ suspended (HB: the provider did not report on an objection in time, R-OBJ-5)
active → hidden → active (trustworthiness information, at the subject's request, R-REC-5)
active | suspended → withdrawn (deleted: an objection sustained, or the provider's own correction, R-OBJ-6, R-REC-4)
active | suspended → revoked (its basis revoked by an effective legal document, R-RES-6)
active | suspended | hidden → archived (disclosure period over, or credit restored: never displayed again,
R-DIS-3, R-RES-4)

"correct" changes a record's content, not its status: a check-only act with its own sources and permission; so does
"serve_sharing_notice", the service of the written notice before sharing (R-REC-3, HB 22).
"Under objection" is a label beside the status (``under_objection_since``), not a status (R-OBJ-2).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.cases.workflow import acts_needing, case_workflow

from .choices import RecordKind
from .choices import RecordStatus as S

#: The recording department's caseworkers change its records; the system user takes the sweeps' acts.
CASEWORK = "subjects.change_creditrecord"

#: The clocks kept on a record (``Deadline.rule_id``): a revoked basis to act on (R-RES-6), the provider's report of
#: it (HL 38), and the provider's own correction (R-REC-4).
REVOCATION, REVOCATION_REPORT, CORRECTION = "R-RES-6", "R-RES-6/report", "R-REC-4"


def _trustworthy_only(record, **_c) -> str | None:
    """R-REC-5: only trustworthiness information is hidden at the subject's request; untrustworthiness
    information ends by its period, restoration or revocation."""
    if record.kind != RecordKind.TRUSTWORTHY:
        return _(
            "Only trustworthiness information is hidden at the subject's request; untrustworthiness information "
            "ends with its disclosure period, restoration or revocation."
        )
    return None


def _untrustworthy_only(record, **_c) -> str | None:
    if record.kind != RecordKind.UNTRUSTWORTHY:
        return _("Only untrustworthiness information is suspended, revoked or restored.")
    return None


def _revocation_registered(record, *, registering: bool = False, **_c) -> str | None:
    """R-RES-6 (issue 18): a record is revoked only against a registered legal document that revoked its basis,
    not yet acted on (``registering``: the registration itself is being checked)."""
    from .models import BasisRevocation

    if registering or BasisRevocation.objects.filter(record=record, revoked_at__isnull=True).exists():
        return None
    return _(
        "No legal document revoking this record's basis is registered: register it first (its number, authority "
        "and date), then revoke the record (R-RES-6)."
    )


def _sharing_notice_pending(record, **_c) -> str | None:
    """R-REC-3 (HB 22): the service of the written notice is recorded once, and only where one was issued."""
    if record.sharing_notice_served_on is not None:
        return _("The written notice before sharing was already served on %(date)s (R-REC-3).") % {
            "date": record.sharing_notice_served_on.isoformat()
        }
    if record.sharing_notice() is None:
        return _("No written notice before sharing was issued for this record (R-REC-3).")
    return None


def _sharing_notice_ready(record, **_c) -> str | None:
    """The notice is served only once its PDF exists and verifies, as every document (what the subject receives
    is exactly what was issued)."""
    from creditportal.documents import ready_refusal

    return ready_refusal(record.sharing_notice())


def _restoration_info_pending(record, **_c) -> str | None:
    """R-NAT-4: the service of the notice on credit restoration is recorded once, and only where one was issued."""
    document = record.restoration_info()
    if document is None:
        return _("No notice on credit restoration was issued for this record (R-NAT-4).")
    service = document.services.first()
    if service is not None:
        return _("The notice on credit restoration was already served on %(date)s (R-NAT-4).") % {
            "date": service.served_on.isoformat()
        }
    return None


def _restoration_info_ready(record, **_c) -> str | None:
    from creditportal.documents import ready_refusal

    return ready_refusal(record.restoration_info())


def _deletion_provided(record, **_c) -> str | None:
    """R-REC-5 (HB 31): trustworthiness information is deleted and archived at the subject's application only where
    the regulation provides it; elsewhere it is hidden (HL 37, XJ 41)."""
    from creditportal.profiles import current_profile

    profile = current_profile()
    if profile is None or not profile.trustworthy_deleted_on_request:
        return _(
            "This regulation does not provide for deleting trustworthiness information at the subject's request: "
            "hide it instead (R-REC-5)."
        )
    return None


SHOWN = frozenset({S.ACTIVE, S.SUSPENDED})


T = acts_needing(CASEWORK)

RECORD = case_workflow(
    field_name="status",
    state_labels=dict(S.choices),
    cases=gettext_lazy("credit records"),
    transitions=[
        T("correct", SHOWN | {S.HIDDEN}, None, gettext_lazy("Correct the record"), system=True),
        T("withdraw", SHOWN | {S.HIDDEN}, S.WITHDRAWN, gettext_lazy("Withdraw (delete) the record"), internal=True),
        T(
            "suspend",
            {S.ACTIVE},
            S.SUSPENDED,
            gettext_lazy("Suspend disclosure and inquiry"),
            guards=(_untrustworthy_only,),
            internal=True,
            system=True,
        ),
        T("resume", {S.SUSPENDED}, S.ACTIVE, gettext_lazy("Resume disclosure and inquiry"), internal=True, system=True),
        T("hide", {S.ACTIVE}, S.HIDDEN, gettext_lazy("Hide at the subject's request"), guards=(_trustworthy_only,)),
        T("show", {S.HIDDEN}, S.ACTIVE, gettext_lazy("Show again at the subject's request")),
        T(
            "delete_on_request",
            {S.ACTIVE, S.HIDDEN},
            S.ARCHIVED,
            gettext_lazy("Delete and archive at the subject's request"),
            guards=(_trustworthy_only, _deletion_provided),
        ),
        T(
            "revoke",
            SHOWN,
            S.REVOKED,
            gettext_lazy("Revoke: basis revoked"),
            guards=(_untrustworthy_only, _revocation_registered),
        ),
        T("archive", SHOWN | {S.HIDDEN}, S.ARCHIVED, gettext_lazy("Archive"), internal=True, system=True),
        # Changes no state: the written notice before sharing reached the subject (R-REC-3, HB 22); until then
        # the information is not delivered and grounds no designation (designations.workflow.record_refusal).
        T(
            "serve_sharing_notice",
            SHOWN,
            None,
            gettext_lazy("Record service of the written notice before sharing"),
            guards=(_sharing_notice_pending, _sharing_notice_ready),
        ),
        # Changes no state: the notice on credit restoration, served with the penalty decision (R-NAT-4).
        T(
            "serve_restoration_info",
            SHOWN,
            None,
            gettext_lazy("Record service of the notice on credit restoration"),
            guards=(_restoration_info_pending, _restoration_info_ready),
        ),
    ],
)
