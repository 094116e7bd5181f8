"""A deterministic, realistic demo of the Hainan (HN) jurisdiction, for ``python manage.py seed_demo``.

It loads departments and accounts, the published catalog (R-CAT-1, R-CAT-2), the published measure lists
(R-CAT-7), two published designation standards (R-CAT-6), and 200 credit subjects with valid identifiers
(R-CAT-8), their legal representatives (R-REC-2) and about a hundred credit files whose untrustworthy records
stand on basis documents (R-REC-1) and are disclosed within the item's period (R-DIS-1).

DEMO ONLY. Every demo account shares the password :data:`DEMO_PASSWORD`, which is published here: never run
the seed against a database that real people use, and never give a demo account to a real person.

Idempotent: each row is looked up by its natural key and created only when missing; an existing row is never
changed, so a second run writes nothing, not even a history row. Every row it writes names the ``system``
user and the reason :data:`REASON` in its history (R-SEC-4; HN 26, HN 34). Nothing depends on today's date.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from creditportal.audit import SYSTEM_USERNAME, record_event, system_user

from .credit_files import build_records, seed_records, seed_related_persons, seed_subjects
from .helpers import REASON, Tally
from .identities import build_subjects
from .organisation import APPROVER, CASEWORKER_OF, DRAFTER, seed_departments, seed_users
from .reference import seed_catalog, seed_measure_lists, seed_standards

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
    items = seed_catalog(departments=departments, drafter=drafter, approver=approver, actor=actor,
                         tally=tally)
    measures = seed_measure_lists(drafter=drafter, approver=approver, actor=actor, tally=tally)
    seed_standards(issuing_department=departments["HN-DRC"], publisher=approver, measures=measures,
                   actor=actor, tally=tally)

    persons, organisations, links = build_subjects()
    subjects = persons + organisations
    rows = seed_subjects(subjects=subjects, departments=departments, actor=actor, tally=tally)
    seed_related_persons(links=links, rows=rows, actor=actor, tally=tally)
    recorders = {code: users[username] for code, username in CASEWORKER_OF.items()}
    seed_records(records=build_records(subjects=subjects), rows=rows, items=items, recorders=recorders,
                 actor=actor, tally=tally)

    if tally.created:  # one timeline event per run that changed something; none on a run that changed nothing
        created = {label: count for label, count, _present in tally.rows() if count}
        record_event(action="creditportal.demo.seeded", actor=actor, reason=REASON, data={"created": created})
    return tally
