"""The published administrative penalties (issue 22; R-NAT-1, R-NAT-2, SAMR-45, R-DIS-3, R-DIS-4, R-REC-3, R-OBJ-5):
where the jurisdiction profile says so, an administrative penalty of the general or serious class is published on
the public page ``/penalties/`` while its record is on display, and leaves it, with the cause, however the record ends
(its period over, credit restored, its basis revoked, deleted after an objection or a correction); minor information
never appears; the "as of" view reproduces the page at a past moment from the ledger; a natural person's number is
never whole there; and nothing is published where the profile leaves it unset.

The story is told on fixed days (the ``on`` fixture): the penalties are decided on 1 September 2026 and entered on
28 September 2026.
"""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogItem
from creditportal.audit import system_user
from creditportal.choices import Role
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from creditportal.tests.factories import user_with_role
from subjects import services
from subjects.choices import ArchiveReason, PenaltyWithdrawal, RecordEndCause, RecordStatus
from subjects.disclosure import records_expire
from subjects.models import PublishedPenalty
from subjects.publication import penalties_sync
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog

from .conftest import BASIS

pytestmark = pytest.mark.django_db

DECIDED_ON = datetime.date(2026, 9, 1)
WHOLE_NUMBER = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")
GENERAL, SERIOUS, MINOR = "超范围经营被罚款", "销售假冒伪劣食品被吊销许可证", "轻微违法给予警告"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _publishes(value: bool | None, code: str = "HN") -> None:
    """The deployment's decision, as the system administrator records it in the profile (test data)."""
    JurisdictionProfile.objects.filter(code=code).unguarded().update(publishes_penalties=value)
    forget_profiles()


@pytest.fixture
def publishing(on):
    on(2026, 9, 28)
    _publishes(True)


@pytest.fixture
def items(caseworker_a, dept_a, on):
    """Administrative-penalty items of each class (minor: publication necessary, so it is entered and shown to
    casework), and a general item that is no administrative penalty."""
    on(2026, 9, 28)
    general, _standard = make_catalog(
        actor=caseworker_a, department=dept_a, item={"info_class": "general", "display_max_months": 36}
    )

    def another(**changes):  # a second item of the same published version (the catalog's workflow is tested there)
        other = CatalogItem.objects.get(pk=general.pk)
        other.pk = other.id = None
        for name, value in changes.items():
            setattr(other, name, value)
        other.save()
        return other

    return {
        "general": general,
        "serious": another(code="HN-04-002", name="严重违法行政处罚信息", info_class="serious"),
        "minor": another(code="HN-04-003", name="轻微违法行政处罚信息", info_class="minor", publication_necessary=True),
        "not_a_penalty": another(code="HN-04-004", name="司法判决信息", is_administrative_punishment=False),
    }


@pytest.fixture
def enter(caseworker_a):
    counter = iter(range(300, 1000))

    def _enter(item, subject, summary=GENERAL, **extra):
        number = next(counter)
        return services.record_create(
            actor=caseworker_a,
            subject=subject,
            catalog_item=item,
            summary=summary,
            determined_on=DECIDED_ON,
            basis={**BASIS, "number": f"海口市监罚〔2026〕{number}号", "effective_on": DECIDED_ON},
            reason="录入行政处罚信息",
            **extra,
        )

    return _enter


@pytest.fixture
def company(dept_a):
    return OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")


def _page(client, **params) -> str:
    response = client.get(reverse("public_penalties"), params)
    assert response.status_code == 200
    return response.content.decode()


def _moment(at: datetime.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


# --- what is published ----------------------------------------------------------------------------------------------


def test_r_nat_2_penalties_of_the_general_and_serious_classes_are_published_minor_never(
    publishing, items, enter, company, dept_a, client
):
    general = enter(items["general"], company, GENERAL)
    serious = enter(items["serious"], OrganisationFactory(department=dept_a, name="三亚海鲜批发有限公司"), SERIOUS)
    minor = enter(items["minor"], OrganisationFactory(department=dept_a, name="文昌椰子糖果厂"), MINOR)
    judgment = enter(
        items["not_a_penalty"], OrganisationFactory(department=dept_a, name="琼海建材有限公司"), "拒不履行生效判决"
    )
    assert minor.disclosure_until >= timezone.localdate()  # shown to casework, yet never published
    published = PublishedPenalty.objects.filter(withdrawn_at__isnull=True)
    assert set(published.values_list("record", flat=True)) == {general.pk, serious.pk}
    page = _page(client)
    for expected in (GENERAL, SERIOUS, company.name, company.identifier, "三亚海鲜批发有限公司", dept_a.name):
        assert expected in page, expected
    assert general.basis_document.number in page and serious.disclosure_until.isoformat() in page
    for absent in (MINOR, "文昌椰子糖果厂", "琼海建材有限公司", judgment.summary):
        assert absent not in page, absent
    # searched by a name's part or an organisation's code's beginning; minor not even when searched for
    assert GENERAL in _page(client, q="椰风") and SERIOUS not in _page(client, q="椰风")
    assert GENERAL in _page(client, q=company.identifier[:8])
    assert MINOR not in _page(client, q="文昌椰子") and GENERAL in _page(client, department=dept_a.pk)


def test_nothing_is_published_where_the_profile_leaves_it_unset(items, enter, company, dept_a, client, on):
    """Not set by this regulation: no row, nothing on the page, which says so; the public list links to no page."""
    on(2026, 9, 28)
    enter(items["general"], company, GENERAL)
    enter(items["serious"], OrganisationFactory(department=dept_a, name="三亚海鲜批发有限公司"), SERIOUS)
    assert JurisdictionProfile.objects.get(code="HN").publishes_penalties is None  # as shipped
    assert penalties_sync(today=timezone.localdate()) == {"published": 0, "withdrawn": 0}
    assert not PublishedPenalty.objects.exists()
    page = _page(client)
    assert GENERAL not in page and SERIOUS not in page and company.name not in page
    assert 'id="penalties-not-published"' in page
    assert 'id="penalties-published"' not in client.get(reverse("public_list")).content.decode()
    _publishes(True)
    assert 'id="penalties-published"' in client.get(reverse("public_list")).content.decode()
    assert 'id="penalties-not-published"' not in _page(client)


def test_the_nightly_sync_publishes_when_the_profile_is_switched_on_and_withdraws_when_it_is_off(
    items, enter, company, client, on
):
    on(2026, 9, 28)
    record = enter(items["general"], company, GENERAL)
    assert GENERAL not in _page(client)
    _publishes(True)
    today = timezone.localdate()
    assert penalties_sync(today=today) == {"published": 1, "withdrawn": 0}
    assert penalties_sync(today=today) == {"published": 0, "withdrawn": 0}  # idempotent
    assert GENERAL in _page(client)
    on(2026, 10, 9)
    _publishes(False)
    assert penalties_sync(today=timezone.localdate()) == {"published": 0, "withdrawn": 1}
    row = PublishedPenalty.objects.get(record=record)
    assert row.withdrawal_cause == PenaltyWithdrawal.UNPUBLISHED and GENERAL not in _page(client)
    assert GENERAL in _page(client, as_of=_moment(row.withdrawn_at - datetime.timedelta(days=1)))


# --- what leaves the page, and why ----------------------------------------------------------------------------------


def _expire_nightly(record, on):
    """The night after the period ended (general: 12 months from 1 September 2026), the expiry archives it."""
    on(2027, 9, 2, hour=0)
    assert records_expire(today=timezone.localdate()).archived == 1


def _restore(record, on):
    on(2026, 10, 12)
    services.record_archive(
        record=record, actor=system_user(), reason="准予信用修复", archive_reason=ArchiveReason.RESTORED
    )


def _supervisor(record):
    return user_with_role(Role.SUPERVISOR, record.department, username="ending-supervisor")


def _revoke(record, on):
    on(2026, 10, 12)
    supervisor = _supervisor(record)
    services.revocation_receive(
        record=record,
        actor=supervisor,
        reason="收到撤销决定",
        ground="revoked",
        legal_document="海府复决字〔2026〕9号",
        effective_on=timezone.localdate(),
        received_on=timezone.localdate(),
    )
    services.revocation_complete(record=record, actor=supervisor, reason="依据已被撤销")


def _objection_sustained(record, on):
    on(2026, 10, 12)
    services.record_withdraw(record=record, actor=_supervisor(record), reason="异议成立，删除该信息")


def _deleted_as_corrected(record, on):
    on(2026, 10, 12)
    services.record_withdraw(
        record=record, actor=_supervisor(record), reason="提供单位更正：删除", cause=RecordEndCause.CORRECTED
    )


@pytest.mark.parametrize(
    ("end", "cause"),
    [
        (_expire_nightly, PenaltyWithdrawal.EXPIRED),
        (_restore, PenaltyWithdrawal.RESTORED),
        (_revoke, PenaltyWithdrawal.REVOKED),
        (_objection_sustained, PenaltyWithdrawal.OBJECTION_SUSTAINED),
        (_deleted_as_corrected, PenaltyWithdrawal.CORRECTED),
    ],
    ids=["expired", "restored", "revoked", "objection_sustained", "deleted_as_corrected"],
)
def test_r_dis_3_an_ended_penalty_leaves_the_page_and_its_search_with_the_cause(
    publishing, items, enter, company, client, on, end, cause
):
    record = enter(items["general"], company, GENERAL)
    assert GENERAL in _page(client) and GENERAL in _page(client, q="椰风")
    end(record, on)
    row = PublishedPenalty.objects.get(record=record)  # one row: withdrawn, never published again
    assert row.withdrawn_at is not None and row.withdrawal_cause == cause
    for page in (_page(client), _page(client, q="椰风"), _page(client, q=company.identifier[:8])):
        assert GENERAL not in page and company.name not in page
    penalties_sync(today=timezone.localdate())  # the night after changes nothing
    assert not PublishedPenalty.objects.filter(withdrawn_at__isnull=True).exists()


def test_r_dis_3_a_penalty_whose_period_ended_leaves_the_page_even_before_the_expiry_archives_it(
    publishing, items, enter, company, client, on
):
    """The nightly sync withdraws, as expired, a penalty whose period ended (general: 12 months, the last day
    2027-08-31) though its record is still waiting for the expiry."""
    record = enter(items["general"], company, GENERAL)
    on(2027, 9, 1, hour=1)
    assert penalties_sync(today=timezone.localdate()) == {"published": 0, "withdrawn": 1}
    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE and record.disclosure_until == datetime.date(2027, 8, 31)
    assert PublishedPenalty.objects.get(record=record).withdrawal_cause == PenaltyWithdrawal.EXPIRED
    assert GENERAL not in _page(client)


def test_samr_45_a_corrected_penalty_is_published_again_as_corrected(publishing, items, enter, company, client, on):
    """SAMR-45 art. 12: the correction replaces what the public reads at once; the old text stays in the ledger, for
    the moments it was read."""
    record = enter(items["general"], company, GENERAL)
    before = timezone.now()
    on(2026, 10, 12)
    services.record_correct(record=record, actor=system_user(), reason="更正", changes={"summary": "更正后的处罚内容"})
    old, new = PublishedPenalty.objects.filter(record=record).order_by("pk")
    assert (old.withdrawal_cause, new.withdrawn_at) == (PenaltyWithdrawal.CORRECTED, None)
    page = _page(client)
    assert "更正后的处罚内容" in page and GENERAL not in page
    assert GENERAL in _page(client, as_of=_moment(before + datetime.timedelta(days=1)))


def test_r_obj_5_a_suspended_penalty_leaves_the_page_until_disclosure_resumes(
    publishing, items, enter, company, client, on
):
    record = enter(items["serious"], company, SERIOUS)
    on(2026, 10, 12)
    services.record_suspend(record=record, actor=system_user(), reason="提供单位未按时报告核查情况")
    assert SERIOUS not in _page(client)
    assert PublishedPenalty.objects.get(record=record).withdrawal_cause == PenaltyWithdrawal.SUSPENDED
    on(2026, 10, 14)
    services.record_resume(record=record, actor=system_user(), reason="提供单位已报告")
    assert SERIOUS in _page(client)
    assert PublishedPenalty.objects.filter(record=record).count() == 2


def test_r_obj_2_the_penalty_under_objection_is_labelled_on_the_page(publishing, items, enter, company, client):
    record = enter(items["general"], company, GENERAL)
    assert "异议处理中" not in _page(client)
    services.objection_label_set(target=record, actor=system_user(), reason="收到异议", since=timezone.now())
    assert "异议处理中" in _page(client)


# --- the page as it stood ---------------------------------------------------------------------------------------------


def test_the_as_of_view_reproduces_the_page_from_the_ledger(publishing, items, enter, company, dept_a, client, on):
    """Published on 28 September, restored on 12 October: the page of 1 October shows it, the page of 27 September and
    the page now do not; a penalty published on 12 October is not on the page of 1 October."""
    record = enter(items["general"], company, GENERAL)
    on(2026, 10, 12)
    _restore(record, on)
    later = enter(items["serious"], OrganisationFactory(department=dept_a, name="三亚海鲜批发有限公司"), SERIOUS)
    assert PublishedPenalty.objects.get(record=later).withdrawn_at is None
    first_october = _page(client, as_of="2026-10-01T12:00")
    assert GENERAL in first_october and SERIOUS not in first_october
    assert GENERAL in _page(client, as_of="2026-10-01T12:00", q="椰风")
    assert GENERAL not in _page(client, as_of="2026-09-27T12:00")
    now = _page(client)
    assert GENERAL not in now and SERIOUS in now
    future = _page(client, as_of="2026-12-31T12:00")  # refused: the page cannot be shown as it will stand
    assert GENERAL not in future and SERIOUS not in future


# --- what the public never reads ---------------------------------------------------------------------------------------


def test_r_dis_4_a_natural_persons_number_is_never_whole_on_the_page(publishing, items, enter, dept_a, client):
    person = PersonFactory(department=dept_a, name="李明华")
    typed = f"当事人李明华（身份证号{person.identifier}）超范围经营"  # the caseworker typed the number in the summary
    enter(items["general"], person, typed)
    row = PublishedPenalty.objects.get()
    assert row.subject_is_person and person.identifier not in row.identifier + row.summary
    searched = client.get(reverse("public_penalties"), {"q": person.identifier}, follow=True)
    assert searched.redirect_chain  # a person's number is not searched, nor kept in the address
    for page in (_page(client), _page(client, q="李明华"), searched.content.decode()):
        assert "李明华" in page and "超范围经营" in page
        assert person.identifier not in page and not WHOLE_NUMBER.search(page)


def test_r_rec_3_a_penalty_is_published_only_once_the_written_notice_before_sharing_is_served(
    items, enter, company, caseworker_a, client, settings, django_capture_on_commit_callbacks
):
    """In Hubei the subject is told in writing first (HB 22): held until the notice's service is recorded."""
    settings.CREDIT_JURISDICTION = "HB"
    _publishes(True, code="HB")
    with django_capture_on_commit_callbacks(execute=True):  # the notice's PDF rendered after commit
        record = enter(items["general"], company, GENERAL)
    assert record.sharing_notice_pending() and GENERAL not in _page(client)
    penalties_sync(today=timezone.localdate())  # the night changes nothing while it is held
    assert not PublishedPenalty.objects.exists()
    services.sharing_notice_serve(
        record=record,
        actor=caseworker_a,
        reason="送达书面告知书",
        method="registered_mail",
        served_on=timezone.localdate(),
        recipient=company.name,
    )
    assert GENERAL in _page(client)


def test_the_nightly_sync_is_scheduled_beside_the_subjects_other_tasks():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"subjects.penalties_sync", "subjects.deadline_notices", "restoration.records_expire"} <= tasks
    from subjects import tasks as subject_tasks

    assert {"penalties_sync_task", "deadline_notices_task", "service_notify_task"} <= set(vars(subject_tasks))


def test_the_page_reads_with_a_constant_number_of_queries(
    publishing, items, enter, company, dept_a, client, django_assert_max_num_queries
):
    for number in range(5):
        enter(items["general"], OrganisationFactory(department=dept_a, name=f"海口第{number}商贸有限公司"), GENERAL)
    with django_assert_max_num_queries(9):
        assert "海口第4商贸有限公司" in _page(client)


def test_a_minor_item_refused_for_disclosure_is_never_entered_let_alone_published(publishing, items, enter, company):
    """Minor information whose item does not say publication is necessary is not entered at all (R-NAT-2)."""
    items["minor"].publication_necessary = False
    items["minor"].save()
    with pytest.raises(ValidationError):
        enter(items["minor"], company, MINOR)
    assert not PublishedPenalty.objects.exists()
