"""The objection's state machine (R-OBJ-1 to R-OBJ-6; for designations R-DES-2). Only this module assigns
``Objection.state``; the record-objection clock (labelling, assistance, pauses) arrives with its own issue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.workflow import Transition, Workflow

from .choices import ObjectionState as S


def _reasons_when_not_sustained(objection, *, sustained: bool, reasons: str, **_c) -> str | None:
    if not reasons.strip():
        return (
            _("State what was corrected and why.")
            if sustained
            else _("An objection that is not adopted is answered with reasons (R-DES-2; HN 30).")
        )
    return None


#: An objection is open (under review: it holds up the case it targets) until it is decided, referred or withdrawn.
OPEN = frozenset({S.RECEIVED})

OBJECTION = Workflow(
    field_name="state",
    state_labels=dict(S.choices),
    transitions=[
        Transition("decide", OPEN, S.DECIDED, gettext_lazy("Decide"), guards=(_reasons_when_not_sustained,)),
        Transition("withdraw", OPEN, S.WITHDRAWN, gettext_lazy("Withdrawn by the subject")),
    ],
)
