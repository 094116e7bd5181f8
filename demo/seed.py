"""A deterministic, realistic demo of the Hainan (HN) jurisdiction, for ``python manage.py seed_demo``.

It loads departments and accounts, the published catalog (R-CAT-1, R-CAT-2), the published measure lists
(R-CAT-7), two published designation standards (R-CAT-6), and 200 credit subjects with valid identifiers
(R-CAT-8), their legal representatives (R-REC-2) and about a hundred credit files whose untrustworthy records
stand on basis documents (R-REC-1) and are disclosed within the item's period (R-DIS-1).

Written as real people would write it, through the services and the lawful-data guard, never around them:
the catalog, measure lists and standards through ``catalog.services`` (drafted by ``hn-caseworker``, approved
and published by ``hn-supervisor``; standards through a real 30-day comment period, the acts dated in the past
with ``now=``); subjects, related persons and records through ``subjects.services`` by the caseworker of the
subject's department (``record_create`` runs ``catalog/guard.py``). Each of those rows' history names that
person and the reason :data:`REASON`, and each act leaves its audit event (``subjects.record.created`` …).

The only rows written directly (``get_or_create_tracked``, as the ``system`` user with :data:`REASON`) are the
reference rows no service writes: departments, user accounts and their memberships (the administrators
maintain those in the admin).

DEMO ONLY. Every demo account shares the password :data:`DEMO_PASSWORD`, which is published here: never run
the seed against a database that real people use, and never give a demo account to a real person.

Idempotent: each row is looked up by its natural key and written only when missing; an existing row is never
changed, so a second run writes nothing, not even a history row or an audit event. Deterministic: the data come
from fixed seeds and every date is fixed and before 2026-11 (records are determined by 2026-10-31).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from creditportal.audit import SYSTEM_USERNAME, record_event, system_user

from .credit_files import build_records, seed_records, seed_related_persons, seed_service_consents, seed_subjects
from .helpers import REASON, Tally
from .identities import build_subjects
from .objections import seed_objections
from .organisation import APPROVER, CASEWORKER_OF, DRAFTER, seed_departments, seed_users
from .penalties import penalties_publication_on, penalties_published_agree
from .reference import seed_catalog, seed_measure_lists, seed_standards
from .restoration import seed_restorations

__all__ = ["DEMO_PASSWORD", "REASON", "Tally", "seed_demo"]

#: The password of every demo account. Demo only: published in the source, never for real people.
DEMO_PASSWORD = "demo-pass-2026"


@transaction.atomic
def seed_demo(*, password: str = DEMO_PASSWORD) -> Tally:
    """Load the demo in one transaction and return what was created and what was already present."""
    tally = Tally()
    user_model = get_user_model()
    # The system user is the actor of everything below; audit.system_user() creates it on first use.
    system_existed = user_model.objects.filter(username=SYSTEM_USERNAME).exists()
    actor = system_user()
    tally.add(user_model, created=not system_existed)

    departments = seed_departments(actor=actor, tally=tally)
    users = seed_users(password=password, departments=departments, actor=actor, tally=tally)
    drafter, approver = users[DRAFTER], users[APPROVER]
    items = seed_catalog(drafter=drafter, approver=approver, departments=departments, tally=tally)
    measures = seed_measure_lists(drafter=drafter, approver=approver, tally=tally)
    seed_standards(drafter=drafter, approver=approver, measures=measures, tally=tally)

    persons, organisations, links = build_subjects()
    subjects = persons + organisations
    recorders = {code: users[username] for code, username in CASEWORKER_OF.items()}
    rows = seed_subjects(subjects=subjects, departments=departments, recorders=recorders, tally=tally)
    seed_related_persons(links=links, rows=rows, recorders=recorders, tally=tally)
    seed_service_consents(links=links, rows=rows, recorders=recorders, tally=tally)
    penalties_publication_on()  # R-NAT-2, SAMR-45: each penalty published as it is entered
    seed_records(records=build_records(subjects=subjects), rows=rows, items=items, recorders=recorders, tally=tally)
    seed_objections(users=users, tally=tally)
    seed_restorations(users=users, tally=tally)
    penalties_published_agree()

    if tally.created:  # one timeline event per run that changed something; none on a run that changed nothing
        created = {label: count for label, count, _present in tally.rows() if count}
        record_event(action="creditportal.demo.seeded", actor=actor, reason=REASON, data={"created": created})
    return tally
