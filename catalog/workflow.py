"""The catalog's state machines (R-CAT-1, R-CAT-6, R-CAT-7), declared once.

Catalog versions and measure lists: draft → submitted (the author asks for approval: it is in the supervisors'
queue) → approved (by someone other than the drafter; a draft may still be approved directly) → published
(on an effective date, confirmed) → superseded (when the next version is published); submitted or approved →
draft (returned); draft → discarded (kept, never deleted). Designation standards:
draft → in comment → published → withdrawn; publishing needs 30 days of public comment.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.workflow import Transition, Workflow

from .choices import ImportJobStatus, PublicationStatus, StandardStatus
from .selectors import published_list_shaped_by

if TYPE_CHECKING:
    pass

MIN_COMMENT_DAYS = 30  # R-CAT-6; NDRC 7

#: Who may take each act: the provincial credit authority's staff draft (AUTHOR); its supervisors and heads
#: approve and publish (APPROVER) — creditportal.permissions says who the provincial credit authority is.
AUTHOR, APPROVER = "catalog.change_catalogversion", "catalog.approve_catalogversion"


def authorise(actor, obj, transition: Transition) -> bool:
    from creditportal.permissions import provincial_authority_ids

    return bool(provincial_authority_ids(actor, transition.permission))


def forbidden(transition: Transition) -> str:
    return forbidden_message(transition.permission)


def forbidden_message(permission: str) -> str:
    if permission == APPROVER:
        return _("Only a supervisor or head of the provincial credit authority approves and publishes.")
    return _("Only staff of the provincial credit authority maintain the catalog, measures and standards.")


def _is_draft(obj, **_context) -> str | None:
    if obj.status != PublicationStatus.DRAFT:
        return _("Version %(number)s is %(status)s: only a draft can be edited. Create the next draft from it.") % {
            "number": obj.number,
            "status": obj.get_status_display(),
        }
    return None


def _not_the_drafter(obj, *, actor, **_context) -> str | None:
    if obj.drafted_by_id == actor.pk:
        return _("The person who drafted this version cannot approve it: another supervisor must (four eyes).")
    return None


def _approver_took_no_part(obj, *, actor, **_context) -> str | None:
    """Four eyes means the approver shaped nothing of the draft: whoever imported or edited its entries cannot
    approve it (R-CAT-1: drafted, then approved by the authority)."""
    if obj.drafted_by_id != actor.pk and actor.pk in published_list_shaped_by(obj):
        return _(
            "You added or changed entries of this version (by hand or by import), so you cannot approve it: "
            "a supervisor who took no part in drafting it must (four eyes)."
        )
    return None


def _has_content(obj, **_context) -> str | None:
    if not obj.entries().exists():
        return _("An empty version cannot be approved: add or import its entries first.")
    return None


PUBLISHED_LIST = Workflow(
    field_name="status",
    state_labels=dict(PublicationStatus.choices),
    authorise=authorise,
    forbidden=forbidden,
    transitions=[
        Transition(
            "submit",
            frozenset({PublicationStatus.DRAFT}),
            PublicationStatus.SUBMITTED,
            gettext_lazy("Submit for approval"),
            permission=AUTHOR,
            guards=(_has_content,),
        ),
        Transition(
            "approve",
            frozenset({PublicationStatus.DRAFT, PublicationStatus.SUBMITTED}),
            PublicationStatus.APPROVED,
            gettext_lazy("Approve"),
            permission=APPROVER,
            guards=(_not_the_drafter, _approver_took_no_part, _has_content),
        ),
        Transition(
            "return",
            frozenset({PublicationStatus.SUBMITTED, PublicationStatus.APPROVED}),
            PublicationStatus.DRAFT,
            gettext_lazy("Return to draft"),
            permission=APPROVER,
        ),
        Transition(
            "discard",
            frozenset({PublicationStatus.DRAFT}),
            PublicationStatus.DISCARDED,
            gettext_lazy("Discard the draft"),
            permission=AUTHOR,
        ),
        Transition(
            "publish",
            frozenset({PublicationStatus.APPROVED}),
            PublicationStatus.PUBLISHED,
            gettext_lazy("Publish"),
            permission=APPROVER,
        ),
        Transition(
            "supersede",
            frozenset({PublicationStatus.PUBLISHED}),
            PublicationStatus.SUPERSEDED,
            gettext_lazy("Supersede"),
            permission=APPROVER,
            internal=True,
        ),
        # Adding, changing or importing entries changes no state: only a draft, by the authority's staff.
        Transition(
            "edit",
            frozenset(PublicationStatus.values),
            None,
            gettext_lazy("Edit"),
            permission=AUTHOR,
            guards=(_is_draft,),
        ),
    ],
)


def comment_days(standard, today: datetime.date) -> int:
    """Days of public comment by ``today``, the first day counting as day 1."""
    if not standard.comment_starts_on or today < standard.comment_starts_on:
        return 0
    return (today - standard.comment_starts_on).days + 1


def _comment_period_long_enough(standard, **_context) -> str | None:
    start, end = standard.comment_starts_on, standard.comment_ends_on
    if not start or not end:
        return _("Set the public comment period (start and end) first.")
    if (end - start).days + 1 < MIN_COMMENT_DAYS:
        return _("The public comment period must last at least %(days)d days (R-CAT-6).") % {"days": MIN_COMMENT_DAYS}
    return None


def _comment_period_over(standard, *, today: datetime.date, **_context) -> str | None:
    days = comment_days(standard, today)
    if days < MIN_COMMENT_DAYS:
        return _(
            "Only %(days)d of the %(min)d days of public comment have passed: a standard is published after "
            "at least %(min)d days of comment (R-CAT-6)."
        ) % {"days": days, "min": MIN_COMMENT_DAYS}
    if today < standard.comment_ends_on:
        return _("The announced comment period runs until %(date)s: publish after it ends.") % {
            "date": standard.comment_ends_on.isoformat()
        }
    return None


def _comment_starts_now_or_later(standard, *, today: datetime.date, **_context) -> str | None:
    """The public must actually have the 30 days: a period announced today cannot have started in the past."""
    if standard.comment_starts_on and standard.comment_starts_on < today:
        return _("The comment period cannot start before it is opened (%(date)s): set a start date from today on.") % {
            "date": today.isoformat()
        }
    return None


def _has_measures(standard, **_context) -> str | None:
    if not standard.allowed_measures.exists():
        return _("A standard states the measures it allows (R-CAT-7): choose at least one.")
    return None


def _standard_is_draft(standard, **_context) -> str | None:
    if standard.status != StandardStatus.DRAFT:
        return _("A standard is edited only while it is a draft; this one is %(status)s.") % {
            "status": standard.get_status_display()
        }
    return None


STANDARD = Workflow(
    field_name="status",
    state_labels=dict(StandardStatus.choices),
    authorise=authorise,
    forbidden=forbidden,
    transitions=[
        Transition(
            "open_comment",
            frozenset({StandardStatus.DRAFT}),
            StandardStatus.IN_COMMENT,
            gettext_lazy("Open public comment"),
            permission=AUTHOR,
            guards=(_comment_period_long_enough, _comment_starts_now_or_later, _has_measures),
        ),
        Transition(
            "publish",
            frozenset({StandardStatus.IN_COMMENT}),
            StandardStatus.PUBLISHED,
            gettext_lazy("Publish"),
            permission=APPROVER,
            guards=(_comment_period_long_enough, _comment_period_over, _has_measures),
        ),
        Transition(
            "withdraw",
            frozenset({StandardStatus.PUBLISHED, StandardStatus.IN_COMMENT}),
            StandardStatus.WITHDRAWN,
            gettext_lazy("Withdraw"),
            permission=APPROVER,
        ),
        Transition(
            "edit",
            frozenset(StandardStatus.values),
            None,
            gettext_lazy("Edit"),
            permission=AUTHOR,
            guards=(_standard_is_draft,),
        ),
    ],
)

#: A background import (catalog.jobs): only the job runner moves it, so every act is internal.
IMPORT_JOB = Workflow(
    field_name="status",
    state_labels=dict(ImportJobStatus.choices),
    transitions=[
        Transition(
            "start",
            frozenset({ImportJobStatus.QUEUED}),
            ImportJobStatus.RUNNING,
            gettext_lazy("Start"),
            internal=True,
        ),
        Transition(
            "finish",
            frozenset({ImportJobStatus.RUNNING}),
            ImportJobStatus.DONE,
            gettext_lazy("Finish"),
            internal=True,
        ),
        Transition(
            "fail",
            frozenset({ImportJobStatus.QUEUED, ImportJobStatus.RUNNING}),
            ImportJobStatus.FAILED,
            gettext_lazy("Fail"),
            internal=True,
        ),
    ],
)
