"""The subjects list (issue 16): "under objection" finds a subject whose record or designation is labelled, not
only a subject labelled itself; the identifier is searched by its beginning, on an index."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.urls import reverse

from objections import services as objection_services
from subjects import services as subject_services
from subjects.filters import SubjectFilter
from subjects.models import CreditSubject
from subjects.tests.factories import OrganisationFactory, valid_uscc
from tests.case_data import make_cases

pytestmark = pytest.mark.django_db
RECEIVED = datetime.datetime(2026, 9, 25, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _receive(actor, *, subject, target: str, **about):
    return objection_services.objection_receive(
        actor=actor,
        subject=subject,
        target=target,
        ground="error",
        grounds_text="记载有误",
        received_at=RECEIVED,
        applicant="李明",
        label_now=True,
        reason="收到",
        **about,
    )


def test_under_objection_finds_subjects_whose_record_or_designation_is_labelled(client, dept_a, dept_b, caseworker_a):
    cases = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)
    by_record = cases["record"].subject
    by_designation = OrganisationFactory(department=dept_a, name="海口南洋贸易有限公司")
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=by_designation,
        catalog_item=cases["record"].catalog_item,
        summary="虚假宣传",
        determined_on=datetime.date(2026, 3, 1),
        reason="录入",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕2号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 1),
        },
    )
    itself = OrganisationFactory(department=dept_a, name="海口椰林实业有限公司")
    quiet = OrganisationFactory(department=dept_a, name="海口清风商贸有限公司")
    _receive(caseworker_a, subject=by_record, target="record", record=cases["record"])
    designation = cases["designation"]
    assert designation.subject == by_record
    _receive(caseworker_a, subject=itself, target="identity")
    # a designation of the second subject, labelled through its objection
    from designations import services as designation_services

    second = designation_services.designation_create(
        actor=caseworker_a,
        department=dept_a,
        subject=by_designation,
        standard=designation.standard,
        records=[record],
        measures=list(designation.standard.allowed_measures.all()),
        facts="虚假宣传",
        reasons="情节严重",
        proportionality_statement="相当",
        proposed_listing_months=12,
        reason="拟认定",
    )
    type(second).objects.filter(pk=second.pk).unguarded().update(
        under_objection_since=RECEIVED
    )  # no service labels a draft

    labelled = set(SubjectFilter({"under_objection": "yes"}, queryset=CreditSubject.objects.all()).qs)
    assert labelled == {by_record, by_designation, itself}
    not_labelled = set(SubjectFilter({"under_objection": "no"}, queryset=CreditSubject.objects.all()).qs)
    assert quiet in not_labelled and not (labelled & not_labelled)

    client.force_login(caseworker_a)
    page = client.get(reverse("subject_list"), {"under_objection": "yes"}).content.decode()
    assert by_record.name in page and by_designation.name in page and quiet.name not in page


def test_the_identifier_is_searched_by_its_beginning(client, dept_a, caseworker_a):
    company = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司", id_number=valid_uscc(123456789))
    other = OrganisationFactory(department=dept_a, name="三亚蓝湾酒店有限公司", id_number=valid_uscc(5))
    prefix = company.id_number[:14]
    assert not other.id_number.startswith(prefix)
    found = set(SubjectFilter({"id_number": prefix.lower()}, queryset=CreditSubject.objects.all()).qs)
    assert found == {company}
    client.force_login(caseworker_a)
    page = client.post(reverse("subject_list"), {"id_number": prefix}, follow=True).content.decode()
    assert company.name in page and other.name not in page


def test_the_identifier_prefix_is_served_by_an_index():
    """EXPLAIN on an empty table would choose a sequential scan whatever the indexes: with sequential scans
    priced out, the plan shows whether an index can serve ``LIKE 'prefix%'`` (under any collation: the pattern
    index)."""
    query = SubjectFilter({"id_number": "91460100"}, queryset=CreditSubject.objects.all()).qs.order_by()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "subject_id_prefix_idx" in plan, plan


@pytest.mark.parametrize("value", ["yes", "no"])
def test_under_objection_reads_the_labels_from_their_indexes(value):
    """With sequential scans priced out, no table is read whole: the labelled records, designations and subjects
    come from their ``under_objection_since`` indexes, the subjects by their primary key."""
    query = SubjectFilter({"under_objection": value}, queryset=CreditSubject.objects.all()).qs
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    labelled_tables = ("subjects_creditrecord", "designations_designation")
    assert all(f"Seq Scan on {table}" not in plan for table in labelled_tables), plan
