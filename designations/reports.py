"""Whom a designation is reported to (R-DES-9, HL 32): read by the service that issues the letters and by the
letter's context builder alike, so both follow one list."""

from django.utils.translation import gettext_lazy

#: Whom an R-DES-9 report goes to (HL 32), for the reason recorded with each letter.
RECIPIENTS = {
    "superior": gettext_lazy("to the authority above"),
    "audit": gettext_lazy("to the audit organ"),
    "employer": gettext_lazy("to the person's unit"),
    "discipline": gettext_lazy("to the discipline-inspection organ"),
    "personnel": gettext_lazy("to the personnel department"),
}


def report_recipients(subject) -> tuple[str, ...]:
    """R-DES-9 (HL 32): the letters a designation of ``subject`` is reported in, in the order they are issued: a
    state organ, state-owned enterprise or public institution to the authority above and the audit organ; a member
    of their staff to the unit, the discipline-inspection organ and the personnel department; anyone else none."""
    from subjects.choices import Ownership

    if subject.is_person:
        return ("employer", "discipline", "personnel") if subject.is_public_staff else ()
    return ("superior", "audit") if subject.ownership != Ownership.PRIVATE else ()
