"""The restoration application's state machine (R-RES-1 to R-RES-5). Only this module assigns
``RestorationApplication.state``.

received → accepted (or refused, with reasons) → under review → granted / not granted; withdrawn at the subject's
request while it is open. The caseworker of the receiving department (the designating unit or the credit
authority) receives, accepts or refuses, and reviews; a supervisor decides. Free of charge: there is no fee
anywhere (R-RES-5). Every adverse act (refused, not granted) gives the subject a numbered decision with its reasons
and remedies, and its service is recorded (issue 19).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.cases.workflow import acts_needing, case_workflow

from .choices import EXTRA_GROUNDS
from .choices import RestorationState as S

#: The caseworker's permission and the supervisor's (a supervisor or head decides, as on a designation).
CASEWORK, DECIDE = "restoration.change_restorationapplication", "designations.approve_designation"


# --- the law, as guards returning a reason a person can read -------------------------------------------------


def target_refusal(*, designation=None, record=None) -> str | None:
    """R-RES-1: restoration concerns a designation on the list or untrustworthiness information still shown."""
    from designations.choices import DesignationState
    from subjects.choices import RecordKind
    from subjects.workflow import RECORD

    if designation is not None:
        if designation.state != DesignationState.LISTED:
            return _("Only a designation on the list can be restored; this one is “%(state)s”.") % {
                "state": designation.get_state_display()
            }
        return None
    if record is None:
        return _("An application concerns either a designation or a credit record.")
    if record.kind != RecordKind.UNTRUSTWORTHY:
        return _("Only untrustworthiness information is restored (R-RES-1).")
    if record.status not in RECORD.sources_of("archive"):
        return _("This credit record is no longer shown (“%(status)s”): there is nothing to restore.") % {
            "status": record.get_status_display()
        }
    return None


def _records_of(application) -> list:
    if application.designation_id:
        return list(application.designation.records.select_related("catalog_item"))
    return [application.record]


def method_refusal(method: str, *, profile=None) -> str | None:
    """R-RES-3 (HB 30): obligations performed and an enforcement settlement performed are grounds only where the
    regulation says so; elsewhere the grounds are a credit pledge, rectification, training or public-interest
    activity (R-RES-1)."""
    from creditportal.profiles import current_profile

    profile = profile if profile is not None else current_profile()
    if method in EXTRA_GROUNDS and not (profile and profile.restoration_extra_grounds):
        return _(
            "This regulation does not accept obligations or a settlement performed as a ground for restoration; "
            "apply by credit pledge, rectification, special training or public-interest activity (R-RES-3)."
        )
    return None


def _restorable(application, **_c) -> str | None:
    """R-RES-1 (NDRC 11, XJ 46): always possible, except where a law says the information cannot be restored
    (the catalog item names that law). Restoration looks at the whole designation (issue 18): restoring a record
    takes down the designations resting on it, so each of them must rest only on records that can be restored."""
    for record in _records_of(application):
        barred_by = record.catalog_item.restoration_barred_by
        if barred_by:
            return _("“%(item)s” cannot be restored: %(law)s (R-RES-1).") % {
                "item": record.catalog_item.name,
                "law": barred_by,
            }
    if application.record_id:
        for designation, other in _resting_alongside(application.record):
            barred_by = other.catalog_item.restoration_barred_by
            if barred_by:
                return _(
                    "Designation %(designation)s rests on this record and also on record #%(id)s (“%(item)s”), which "
                    "cannot be restored: %(law)s. Restoring this record would take the designation down, so it is "
                    "refused (R-RES-1)."
                ) % {"designation": designation, "id": other.pk, "item": other.catalog_item.name, "law": barred_by}
    return None


def _resting_alongside(record) -> list:
    """The other records still shown of each standing designation resting on ``record``: (designation, record)."""
    from designations.models import Designation
    from designations.workflow import ENDED
    from subjects.workflow import RECORD

    pairs = []
    for designation in Designation.objects.filter(records=record).exclude(state__in=ENDED).order_by("pk"):
        for other in (
            designation.records.exclude(pk=record.pk)
            .filter(status__in=sorted(RECORD.sources_of("archive")))
            .select_related("catalog_item")
        ):
            pairs.append((designation, other))
    return pairs


def _minimum_period_passed(application, *, today=None, **_c) -> str | None:
    """R-RES-2 (XJ 46): where the profile says so, only after the minimum display period. R-NAT-3: under the
    national rules in force on a record's determination, once its class's minimum has passed (minor information:
    at once, its obligations fulfilled), whatever the profile says."""
    from django.utils import timezone

    from creditportal.profiles import current_profile
    from creditportal.rules import cite_ruleset
    from subjects.disclosure import class_limits_for, minimum_display_until

    profile = current_profile()
    provincial = bool(profile and profile.restoration_after_min_period)
    today = today or timezone.localdate()
    for record in _records_of(application):
        national = class_limits_for(record.catalog_item, on=record.determined_on)
        if not (provincial or national):
            continue
        until = minimum_display_until(record)  # by the values in force on the record's day (R-NAT-6)
        if until is None or today > until:
            continue
        if national is not None:
            return _(
                "Under %(rules)s, restoration is possible once the shortest publication period of %(class)s "
                "information has passed: for record #%(id)s it runs until %(date)s (R-NAT-3)."
            ) % {
                "rules": cite_ruleset(national.ruleset, f"{record.catalog_item.info_class}_min_months"),
                "class": record.catalog_item.get_info_class_display(),
                "id": record.pk,
                "date": until.isoformat(),
            }
        return _(
            "Restoration is possible only after the minimum display period, which runs until %(date)s (R-RES-2)."
        ) % {"date": until.isoformat()}
    return None


def _commitment_given(application, **_c) -> str | None:
    """R-NAT-3: under the national rules in force on the day the application was received, the subject makes a
    public credit commitment (信用承诺书); accepted only with it."""
    from django.utils import timezone

    from creditportal.rules import cite_ruleset, value_on

    required, rules = value_on("restoration_commitment_required", timezone.localdate(application.received_at))
    if required and not application.commitment.strip():
        return _(
            "Under %(rules)s the application is accepted only with the subject's public credit commitment: record it "
            "on the application (R-NAT-3)."
        ) % {"rules": cite_ruleset(rules, "restoration_commitment_required")}
    return None


def _method_allowed(application, **_c) -> str | None:
    return method_refusal(application.method)


def _target_standing(application, **_c) -> str | None:
    return target_refusal(designation=application.designation, record=application.record)


def _reasons_given(application, *, reasons: str = "", **_c) -> str | None:
    if not (reasons or "").strip():
        return _("State the reasons: the subject is told why (R-RES-1).")
    return None


def _opinion_given(application, *, opinion: str = "", **_c) -> str | None:
    if not (opinion or "").strip():
        return _("Write the review opinion: what was checked and what it shows.")
    return None


def promised_period(profile=None, *, application=None) -> int | None:
    """R-RES-5 (NDRC 12): the period the deployment promised in advance, in working days — the one value the
    decision documents promise, acceptance counts and the notice states; None while the profile leaves it unset
    (no regulation of the four fixes a number). For an application about a listing designated leniently because
    of an emergency, the reduced period where the profile sets one (R-DES-7, HL 30)."""
    from creditportal.profiles import current_profile

    profile = profile if profile is not None else current_profile()
    if profile is None:
        return None
    return profile.restoration_period_wd(emergency=bool(application is not None and emergency_listing(application)))


def emergency_listing(application) -> bool:
    """The application is about a designation made leniently because its conduct was caused by an emergency."""
    from designations.choices import Leniency

    return bool(application.designation_id and application.designation.leniency == Leniency.EMERGENCY)


def _promised_period_set(application, **_c) -> str | None:
    if promised_period() is None:
        return _(
            "The jurisdiction profile sets no promised period for restoration: the system administrator sets the "
            "period promised in advance, with its source, before an application can be accepted (R-RES-5)."
        )
    return None


def _not_reviewer(application, *, actor=None, **_c) -> str | None:
    """Four eyes: whoever wrote the review opinion does not decide on it."""
    if actor is not None and application.reviewed_by_id and application.reviewed_by_id == actor.pk:
        return _("You wrote the review opinion: another supervisor decides.")
    return None


def remedies_refusal(application, *, profile=None) -> str | None:
    """R-DES-5's remedies, for every adverse restoration act (issue 19): the decision not to accept and the
    decision not to grant name the reconsideration body and the time limits from the profile's data, so a
    profile without them, or a department whose government is not recorded, cannot issue one."""
    from creditportal.profiles import current_profile

    profile = profile if profile is not None else current_profile()
    remedies = (profile.remedies or {}) if profile else {}
    missing = [
        key for key in ("reconsideration_days", "reconsideration_body", "litigation_months") if not remedies.get(key)
    ]
    if missing:
        return _(
            "The jurisdiction profile does not state the remedies (%(keys)s): the system administrator "
            "records them before decisions are issued."
        ) % {"keys": ", ".join(missing)}
    department = application.department
    if remedies["reconsideration_body"] == "same_level_government" and not department.government.strip():
        return _(
            "The department's people's government at the same level is not recorded: the decision must name "
            "where to apply for administrative reconsideration (the system administrator records it)."
        )
    return None


def _remedies_known(application, **_c) -> str | None:
    return remedies_refusal(application)


def _refusal_ready(application, **_c) -> str | None:
    """The decision not to accept is served only once its PDF exists and verifies (as every document)."""
    from creditportal.documents import ready_refusal

    return ready_refusal(application.refusal())


LAW = (_target_standing, _method_allowed, _restorable, _minimum_period_passed, _commitment_given)
OPEN = frozenset({S.RECEIVED, S.ACCEPTED, S.UNDER_REVIEW})
DECIDED = frozenset({S.GRANTED, S.NOT_GRANTED})
#: R-NAT-3: the public credit commitment is published when the application is accepted, and withdrawn when the
#: application ends without restoration; a grant keeps it published (``services.commitment_follow``).
COMMITMENT_PUBLISHED_BY = S.ACCEPTED
COMMITMENT_WITHDRAWN_BY = frozenset({S.WITHDRAWN, S.NOT_GRANTED})


T = acts_needing(CASEWORK)

RESTORATION = case_workflow(
    state_labels=dict(S.choices),
    cases=gettext_lazy("restoration applications"),
    transitions=[
        T("accept", {S.RECEIVED}, S.ACCEPTED, gettext_lazy("Accept"), guards=(*LAW, _promised_period_set)),
        T(
            "refuse",
            {S.RECEIVED},
            S.REFUSED,
            gettext_lazy("Refuse to accept"),
            guards=(_reasons_given, _remedies_known),
        ),
        T("review", {S.ACCEPTED}, S.UNDER_REVIEW, gettext_lazy("Record the review"), guards=(_opinion_given,)),
        T("grant", {S.UNDER_REVIEW}, S.GRANTED, gettext_lazy("Grant"), DECIDE, guards=(*LAW, _not_reviewer)),
        T(
            "not_grant",
            {S.UNDER_REVIEW},
            S.NOT_GRANTED,
            gettext_lazy("Do not grant"),
            DECIDE,
            guards=(_reasons_given, _remedies_known, _not_reviewer),
        ),
        T("withdraw", OPEN, S.WITHDRAWN, gettext_lazy("Withdrawn by the subject")),
        # Acts that change no state.
        T("serve_notice", DECIDED, None, gettext_lazy("Record service of the restoration notice")),
        T(
            "serve_refusal",
            {S.REFUSED},
            None,
            gettext_lazy("Record service of the decision not to accept"),
            guards=(_refusal_ready,),
        ),
    ],
)


# --- who receives an application (R-RES-1): read by the services and the selectors alike ---------------------

#: The permission to receive an application, in the department that holds what it asks to restore or in a credit
#: authority that routes it there.
RECEIVE_PERMISSION = "restoration.add_restorationapplication"

#: The event that says a restoration application received by a credit authority went to the deciding department.
ROUTED = "restoration.application.routed"


def receives_for_others(actor) -> frozenset[int]:
    """The credit-authority departments (any level) where the actor may receive restoration applications: a subject
    may apply there for another department's designation or record (R-RES-1; HN 32, HL 40)."""
    from creditportal.choices import DepartmentKind
    from creditportal.models import Department
    from creditportal.permissions import department_ids_for

    allowed = department_ids_for(actor, RECEIVE_PERMISSION)
    if not allowed:
        return frozenset()
    return frozenset(
        Department.objects.filter(pk__in=allowed, kind=DepartmentKind.CREDIT_AUTHORITY, is_active=True).values_list(
            "pk", flat=True
        )
    )
