"""Who acts for whom in the subject portal (issue 22), as with the electronic business licence: a subject for itself,
an organisation's legal representative for it in every matter (the department's record of it, R-REC-2), and an agent
the representative authorised, in the matters and for the days the authorisation says. The one place the rule is
written: the selectors read with it, and the services check it again before they write."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from subjects.choices import RelatedRole
from subjects.models import CreditSubject, RelatedPerson

from .choices import ALL_MATTERS
from .models import AgentAuthorisation

#: In what capacity a person acts for a subject.
SELF, LEGAL_REPRESENTATIVE, AGENT = "self", "legal_representative", "agent"


def legal_representations(day: datetime.date) -> QuerySet[RelatedPerson]:
    """The links that make a person an organisation's legal representative on ``day`` (R-REC-2)."""
    # one filter() call: every condition on the same link
    return RelatedPerson.objects.filter(
        Q(since__isnull=True) | Q(since__lte=day),
        Q(until__isnull=True) | Q(until__gte=day),
        role=RelatedRole.LEGAL_REPRESENTATIVE,
    )


def capacity(person: CreditSubject, subject: CreditSubject, day: datetime.date) -> tuple[str | None, frozenset[str]]:
    """How ``person`` acts for ``subject`` on ``day``, and in which matters (``portal.choices.Matter``): itself or its
    legal representative, all of them; its agent, those its authorisations in force that day cover (``expires_on``
    included); ``(None, ∅)`` otherwise."""
    if person.pk == subject.pk:
        return SELF, ALL_MATTERS
    if legal_representations(day).filter(person=person, organisation=subject).exists():
        return LEGAL_REPRESENTATIVE, ALL_MATTERS
    covered: set[str] = set()
    for authorisation in AgentAuthorisation.objects.in_force(day).filter(agent=person, organisation=subject):
        covered |= authorisation.covered
    return (AGENT, frozenset(covered)) if covered else (None, frozenset())
