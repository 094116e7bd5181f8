"""Batch imports of credit records (issue 23): every row through the guards a record entered on a page passes,
refused rows reported by row and column in Chinese while the rest is written, the same file twice changing nothing,
and a job whose worker died taken over where it stopped.

The story is told on 28 September 2026 (the ``on`` fixture): the records were determined on 2 March 2026.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from catalog.tests.test_guard import _consent
from creditportal.audit import system_user
from creditportal.choices import DocumentKind
from creditportal.models import AuditEvent, IssuedDocument
from designations.choices import DesignationSource, DesignationState
from designations.models import Designation
from exchange import services
from exchange.choices import ImportKind, ImportStatus
from exchange.models import RecordImport, RecordImportError
from exchange.reader import CODES, DEFAULTER_COLUMNS, header_row
from subjects import services as subject_services
from subjects.models import CreditRecord, CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory, valid_ric, valid_uscc
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db

DETERMINED = "2026-03-02"
BASIS = ["punishment_decision", "海口市监罚〔2026〕{n}号", "海口市市场监督管理局", DETERMINED, "否"]


@pytest.fixture
def story(on):
    on(2026, 9, 28)


@pytest.fixture
def chinese(settings):
    """The deployment's language: the error report is written in it, and the pages speak it."""
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def item(story, caseworker_a, dept_a):
    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    return item


def row(n: int, item, *, kind="法人", name=None, identifier=None, summary=None, determined=DETERMINED, basis=True):
    """One file row: record ``n`` of an organisation (or a person) on its own punishment decision."""
    identifier = identifier or (valid_uscc(5000 + n) if kind == "法人" else valid_ric(5000 + n))
    basis_cells = [cell.format(n=n) for cell in BASIS] if basis else ["", "", "", "", ""]
    return [
        f"HK-{n:06d}",
        kind,
        name or f"海口导入{n}有限公司",
        "",
        identifier,
        item.code,
        summary or f"销售过期食品（第{n}次）",
        determined,
        "",
        *basis_cells,
    ]


def csv_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header_row())
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def start(user, department, content: bytes, name="records.csv") -> RecordImport:
    return services.record_import_create(
        actor=user, department=department, file=ContentFile(content, name=name), reason="海口市监局月度报送"
    )


def run(job: RecordImport, **kwargs) -> RecordImport:
    return services.record_import_run(job_id=job.pk, **kwargs)


def errors_of(job) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for error in RecordImportError.objects.filter(job=job):
        found.setdefault(error.row, []).append((error.column, error.message))
    return found


def test_good_rows_are_written_with_history_and_bad_rows_reported_by_row_and_column(
    caseworker_a, dept_a, item, chinese
):
    existing = OrganisationFactory(department=dept_a, name="海口已登记有限公司", id_number=valid_uscc(4242))
    rows = [
        row(1, item),
        row(2, item, kind="自然人", name="李四"),
        row(3, item, name="海口已登记有限公司", identifier=existing.identifier),
        row(4, item, identifier="91460100XXXXXXXX"),  # not a credit code
        row(5, item, determined="2026-10-01"),  # later than today
        row(6, item),
    ]
    rows[-1][CODES.index("summary")] = ""  # required
    job = run(start(caseworker_a, dept_a, csv_file(rows)))

    assert job.status == ImportStatus.DONE
    assert (job.rows_done, job.rows_written, job.rows_refused, job.subjects_created) == (6, 3, 3, 2)
    records = CreditRecord.objects.filter(department=dept_a).order_by("provider_key")
    assert [r.provider_key for r in records] == ["HK-000001", "HK-000002", "HK-000003"]
    assert all(r.history.count() == 1 and r.history.get().history_user == caseworker_a for r in records)
    assert records.get(provider_key="HK-000003").subject == existing
    person = CreditSubject.objects.get(name="李四")
    assert person.identifier == valid_ric(5002) and person.id_number != valid_ric(5002)  # sealed, shown masked
    events = AuditEvent.objects.filter(action="subjects.record.created", actor=caseworker_a, department=dept_a)
    assert sorted(e.data["provider_key"] for e in events) == ["HK-000001", "HK-000002", "HK-000003"]
    assert {e.object_id for e in events} == {str(r.pk) for r in records}
    assert AuditEvent.objects.filter(action="subjects.subject.created", object_id=str(person.pk)).exists()
    with connection.cursor() as cursor:  # R-SEC-4: every history row and event of the bulk write is in the ledger
        cursor.execute(
            "SELECT source, count(*) FROM creditportal_ledgerentry WHERE (source = 'subjects_historicalcreditrecord' "
            "AND (content::jsonb->>'id') = ANY(%s)) OR (source = 'creditportal_auditevent' "
            "AND (content::jsonb->>'object_id') = ANY(%s) AND content::jsonb->>'action' = 'subjects.record.created') "
            "GROUP BY source ORDER BY source",
            [[str(r.pk) for r in records]] * 2,
        )
        assert cursor.fetchall() == [("creditportal_auditevent", 3), ("subjects_historicalcreditrecord", 3)]
    refused = errors_of(job)
    assert sorted(refused) == [5, 6, 7]  # file rows (the header is row 1)
    assert refused[5][0][0] == "identifier"
    assert refused[6] == [("determined_on", "认定日期不能晚于今天（2026-09-28）。")]
    assert refused[7] == [("summary", "此列为必填项。")]


def test_the_same_file_twice_changes_nothing(caseworker_a, dept_a, item):
    content = csv_file([row(n, item) for n in range(1, 6)])
    first = run(start(caseworker_a, dept_a, content))
    histories = CreditRecord.history.count()
    subjects = CreditSubject.objects.count()

    again = run(start(caseworker_a, dept_a, content))

    assert (first.rows_written, again.rows_written, again.rows_unchanged, again.rows_refused) == (5, 0, 5, 0)
    assert CreditRecord.history.count() == histories and CreditSubject.objects.count() == subjects


def test_a_key_held_with_other_content_is_refused_not_overwritten(caseworker_a, dept_a, item):
    run(start(caseworker_a, dept_a, csv_file([row(1, item)])))
    job = run(start(caseworker_a, dept_a, csv_file([row(1, item, summary="另一事实")])))

    assert job.rows_written == 0 and errors_of(job)[2][0][0] == "provider_key"
    assert CreditRecord.objects.get(provider_key="HK-000001").summary == "销售过期食品（第1次）"


@pytest.mark.parametrize(
    ("change", "column", "rule"),
    [
        ({"catalog_item": "HN-99-999"}, "catalog_item", "R-CAT-1"),
        ({"summary": "当事人患有传染病仍从事食品经营"}, "summary", "R-CAT-4"),
        ({"basis": False}, "basis_number", "R-REC-1"),
        ({"simplified": "是"}, "simplified_procedure", "R-CAT-3"),
    ],
)
def test_the_catalog_guard_refuses_each_row_it_would_refuse_on_the_page(
    caseworker_a, dept_a, item, change, column, rule
):
    """R-CAT-1, R-CAT-4, R-REC-1, R-CAT-3: the guard of ``record_create``, row by row; nothing of the row is stored."""
    cells = row(1, item, summary=change.get("summary"), basis=change.get("basis", True))
    if "catalog_item" in change:
        cells[CODES.index("catalog_item")] = change["catalog_item"]
    if "simplified" in change:
        cells[CODES.index("simplified_procedure")] = change["simplified"]
    job = run(start(caseworker_a, dept_a, csv_file([cells, row(2, item)])))

    assert (job.rows_written, job.rows_refused) == (1, 1)
    assert [c for c, _m in errors_of(job)[2]] == [column], rule
    assert not CreditSubject.objects.filter(name="海口导入1有限公司").exists()


def test_r_dis_3_conduct_whose_record_ended_is_not_imported_again(caseworker_a, dept_a, item):
    run(start(caseworker_a, dept_a, csv_file([row(1, item)])))
    record = CreditRecord.objects.get(provider_key="HK-000001")
    subject_services.record_archive(record=record, actor=system_user(), reason="Disclosure period ended")
    again = row(1, item)
    again[0] = "HK-100001"  # a new key for the same conduct on the same decision

    job = run(start(caseworker_a, dept_a, csv_file([again])))

    assert job.rows_written == 0 and errors_of(job)[2][0][0] == "basis_number"


def test_another_departments_subject_is_refused(caseworker_a, dept_a, dept_b, item):
    theirs = OrganisationFactory(department=dept_b, name="三亚某公司", id_number=valid_uscc(777))
    job = run(start(caseworker_a, dept_a, csv_file([row(1, item, name="三亚某公司", identifier=theirs.identifier)])))
    assert job.rows_written == 0 and errors_of(job)[2][0][0] == "identifier"


def test_r_cat_5_a_persons_information_needing_consent_is_imported_only_with_it(caseworker_a, dept_a, story):
    """R-CAT-5: an item about a natural person that needs written consent is refused row by row where none is on file
    (or it was revoked), as the record form refuses it, and written where it is."""
    item, _standard = make_catalog(
        actor=caseworker_a,
        department=dept_a,
        item={"code": "HN-07-INCOME", "name": "个人收入信息", "consent_category": "income", "is_untrustworthy": False},
    )
    consenting, revoked = (
        PersonFactory(department=dept_a, name=name, id_number=valid_ric(n)) for n, name in ((71, "王五"), (72, "赵六"))
    )
    _consent(consenting, dept_a)
    _consent(revoked, dept_a, revoked_at=timezone.now() - datetime.timedelta(hours=1))
    rows = [
        row(1, item, kind="自然人", name="王五", identifier=consenting.identifier, basis=False),
        row(2, item, kind="自然人", name="赵六", identifier=revoked.identifier, basis=False),
        row(3, item, kind="自然人", name="孙七", basis=False),  # registered now: no consent can be on file
    ]

    job = run(start(caseworker_a, dept_a, csv_file(rows)))

    assert (job.rows_written, job.rows_refused) == (1, 2)
    assert {n: [c for c, _m in e] for n, e in errors_of(job).items()} == {3: ["catalog_item"], 4: ["catalog_item"]}
    assert "R-CAT-5" in errors_of(job)[3][0][1]
    assert list(CreditRecord.objects.filter(department=dept_a).values_list("subject__name", flat=True)) == ["王五"]


def test_r_rec_1_a_determination_dated_before_its_basis_took_effect_is_refused(caseworker_a, dept_a, item, chinese):
    """R-REC-1: conduct is determined on a legally effective document, so not before the document took effect — in
    the file (the row refused on its date) as on the page, and against a document already registered."""
    early = row(1, item)
    early[CODES.index("determined_on")] = "2026-03-01"  # the decision took effect on 2 March
    registered = row(2, item)
    run(start(caseworker_a, dept_a, csv_file([registered])))
    again_earlier = row(3, item, determined="2026-02-20")
    again_earlier[CODES.index("basis_number")] = registered[CODES.index("basis_number")]

    job = run(start(caseworker_a, dept_a, csv_file([early, again_earlier])))

    assert (job.rows_written, job.rows_refused) == (0, 2)
    assert [(c, m) for c, m in errors_of(job)[2]] == [
        ("determined_on", "认定日期不能早于认定依据文书生效之日（2026-03-02）。")
    ]
    assert errors_of(job)[3][0][0] == "determined_on"
    record = CreditRecord.objects.get(provider_key="HK-000002")
    with pytest.raises(ValidationError) as refused:  # the same guard when the record's date is corrected
        subject_services.record_correct(
            record=record, actor=caseworker_a, changes={"determined_on": datetime.date(2026, 2, 1)}, reason="更正日期"
        )
    assert "determined_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as on_the_page:  # and when it is entered on the record form
        subject_services.record_create(
            actor=caseworker_a,
            subject=record.subject,
            catalog_item=item,
            summary="另一违法行为",
            determined_on=datetime.date(2026, 2, 1),
            basis={
                "basis_type": "punishment_decision",
                "number": "海口市监罚〔2026〕99号",
                "issuing_authority": "海口市市场监督管理局",
                "effective_on": datetime.date(2026, 3, 2),
            },
            reason="录入",
        )
    assert "determined_on" in on_the_page.value.message_dict


def test_a_job_that_fails_says_to_upload_the_file_again_and_again_changes_only_the_rest(
    caseworker_a, dept_a, item, chinese
):
    """A job stopped by an unexpected fault (here its stored file lost) fails saying what to do; the file sent again
    writes only what the first run did not."""
    content = csv_file([row(n, item) for n in (1, 2)])
    run(start(caseworker_a, dept_a, csv_file([row(1, item)])))
    lost = start(caseworker_a, dept_a, content)
    lost.file.storage.delete(lost.file.name)

    failed = run(lost)

    assert failed.status == ImportStatus.FAILED
    assert failed.failure.startswith("导入因意外错误中止。") and "请重新上传该文件" in failed.failure
    again = run(start(caseworker_a, dept_a, content))
    assert (again.rows_written, again.rows_unchanged) == (1, 1)


def test_xlsx_and_json_lines_read_as_csv(caseworker_a, dept_a, item):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header_row())
    sheet.append(row(1, item))
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    lines = "\n".join(json.dumps(dict(zip(CODES, row(n, item), strict=True)), ensure_ascii=False) for n in (2, 3))

    by_xlsx = run(start(caseworker_a, dept_a, xlsx.getvalue(), name="records.xlsx"))
    by_jsonl = run(start(caseworker_a, dept_a, (lines + "\n这不是JSON\n").encode(), name="records.jsonl"))

    assert (by_xlsx.format, by_xlsx.rows_written) == ("xlsx", 1)
    assert (by_jsonl.format, by_jsonl.rows_written, by_jsonl.rows_refused) == ("jsonl", 2, 1)


def test_a_job_whose_worker_died_is_taken_over_where_it_stopped(caseworker_a, dept_a, item, settings):
    settings.EXCHANGE_IMPORT_BATCH = 2
    job = start(caseworker_a, dept_a, csv_file([row(n, item) for n in range(1, 8)]))
    # The first worker claims the job and commits one batch, then dies (nothing else of it runs).
    claimed = services._claim(job.pk, timezone.now())
    ctx = services.records.Context(actor=caseworker_a, department=dept_a, now=timezone.now())
    services._commit_batch(claimed, [(2, dict(zip(CODES, row(1, item), strict=True)))] * 1, ctx, start=0, bytes_done=1)
    services._commit_batch(
        RecordImport.objects.get(pk=job.pk),
        [(3, dict(zip(CODES, row(2, item), strict=True)))],
        ctx,
        start=1,
        bytes_done=2,
    )

    assert run(job).rows_done == 2  # its heartbeat is fresh: another worker leaves it alone
    later = timezone.now() + datetime.timedelta(seconds=settings.EXCHANGE_IMPORT_LEASE_SECONDS + 1)
    assert services.record_imports_resume(now=later) == 1  # the sweep queues it again

    done = run(job, now=later)

    assert (done.status, done.rows_done, done.rows_written, done.rows_unchanged) == (ImportStatus.DONE, 7, 7, 0)
    assert CreditRecord.objects.filter(department=dept_a).count() == 7  # no duplicate, nothing lost


def test_r_rec_3_in_hubei_each_untrustworthy_record_comes_with_its_written_notice(
    caseworker_a, dept_a, story, settings
):
    """R-REC-3 (HB 22): an imported record is held like one entered on its page: its numbered notice issued."""
    settings.CREDIT_JURISDICTION = "HB"
    item, _standard = make_catalog(actor=caseworker_a, department=dept_a, jurisdiction="HB")
    dept_a.address, dept_a.contact = "海口市龙华区", "0898-12345678"
    dept_a.save()

    job = run(start(caseworker_a, dept_a, csv_file([row(1, item), row(2, item)])))

    assert job.rows_written == 2
    notices = IssuedDocument.objects.filter(kind=DocumentKind.SHARING_NOTICE)
    assert notices.count() == 2
    assert all(r.sharing_notice_pending() for r in CreditRecord.objects.filter(department=dept_a))


def test_the_pages_upload_show_progress_and_give_the_report_to_the_department_only(
    client, caseworker_a, caseworker_b, dept_a, item, chinese
):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("海口.csv", csv_file([row(1, item), row(2, item, determined="2026-13-01")]))
    response = client.post(
        reverse("record_import_create"), {"department": dept_a.pk, "file": upload, "reason": "月度报送"}
    )
    job = RecordImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("record_import_detail", args=[job.pk])
    page = client.get(response.url)
    assert page["Refresh"] == "2" and "等待" in page.content.decode()

    run(job)
    page = client.get(reverse("record_import_detail", args=[job.pk])).content.decode()
    assert "“2026-13-01”不是日期" in page and "认定日期" in page
    report = b"".join(client.get(reverse("record_import_errors", args=[job.pk])).streaming_content).decode("utf-8-sig")
    assert report.splitlines()[0] == "行号,列,原因" and "认定日期" in report

    client.force_login(caseworker_b)
    assert client.get(reverse("record_import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("record_import_errors", args=[job.pk])).status_code == 404


def test_the_page_and_the_report_cite_the_deployments_articles_never_a_rule_id(
    client, caseworker_a, dept_a, item, chinese
):
    """A refusal reads as the deployment's regulation (``creditportal.citations.for_people``), on the job's page and in
    its error report, never "(R-CAT-1)"; and a job at work is 进行中, not a clock's 计时中."""
    from creditportal.profiles import current_profile

    unpublished = row(2, item)
    unpublished[5] = "HN-99-999"  # an item the published catalog does not hold (R-CAT-1)
    job = run(start(caseworker_a, dept_a, csv_file([row(1, item), unpublished])))
    client.force_login(caseworker_a)
    article = current_profile().cite("R-CAT-1")
    assert article  # the Hainan profile cites the catalog rule

    page = client.get(reverse("record_import_detail", args=[job.pk])).content.decode()
    report = b"".join(client.get(reverse("record_import_errors", args=[job.pk])).streaming_content).decode("utf-8-sig")

    for text in (page, report):
        assert "R-CAT-1" not in text and article in text
    RecordImport.objects.filter(pk=job.pk).unguarded().update(status=ImportStatus.RUNNING)
    page = client.get(reverse("record_import_detail", args=[job.pk])).content.decode()
    assert "进行中" in page and "计时中" not in page


def test_a_file_without_the_required_columns_is_refused_whole(caseworker_a, dept_a, item, chinese):
    job = run(start(caseworker_a, dept_a, "名称,日期\n甲,2026-01-01\n".encode()))
    assert job.status == ImportStatus.FAILED and "记录编号" in job.failure
    assert CreditRecord.objects.count() == 0


# --- a people's court's Judgment Defaulters List (R-DES-8) ---------------------------------------------------------


def defaulters_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header_row(DEFAULTER_COLUMNS))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def entry(n: int, *, effective="2026-03-02", identifier=None):
    return [
        f"(2026)琼01执{n}号",
        "海口市中级人民法院",
        f"(2025)琼01民初{n}号",
        effective,
        "法人",
        f"海口失信{n}有限公司",
        "",
        identifier or valid_uscc(9000 + n),
        "",
    ]


@pytest.fixture
def court_catalog(story, caseworker_a, dept_a):
    """A catalog whose item records the refusal to perform an effective judgment, and its standard."""
    item, standard = make_catalog(
        actor=caseworker_a, department=dept_a, item={"category": "non_performance", "code": "HN-05-001"}
    )
    return standard


def test_r_des_8_each_entry_of_a_judgment_defaulters_list_drafts_a_designation_for_review(
    caseworker_a, dept_a, court_catalog
):
    """R-DES-8 (HL 28): each entry is designated, as a draft on the court's document, following the due process; an
    entry with a bad code or a date to come is reported; the same list again drafts nothing more."""
    content = defaulters_file([entry(1), entry(2), entry(3, effective="2026-12-01"), entry(4, identifier="123")])
    job = services.record_import_create(
        actor=caseworker_a,
        department=dept_a,
        file=ContentFile(content, name="失信被执行人.csv"),
        reason="法院推送",
        kind=ImportKind.DEFAULTERS,
        standard=court_catalog,
        listing_months=24,
    )
    job = run(job)

    assert (job.rows_written, job.rows_refused) == (2, 2), errors_of(job)
    drafts = Designation.objects.filter(department=dept_a).order_by("court_list_reference")
    assert [(d.state, d.source, d.court_list_reference) for d in drafts] == [
        (DesignationState.DRAFT, DesignationSource.JUDGMENT_DEFAULTER, "(2026)琼01执1号"),
        (DesignationState.DRAFT, DesignationSource.JUDGMENT_DEFAULTER, "(2026)琼01执2号"),
    ]
    assert all(d.records.get().basis_document.number.startswith("(2025)琼01民初") for d in drafts)
    assert sorted(errors_of(job)) == [4, 5]

    again = run(
        services.record_import_create(
            actor=caseworker_a,
            department=dept_a,
            file=ContentFile(content, name="again.csv"),
            reason="再次推送",
            kind=ImportKind.DEFAULTERS,
            standard=court_catalog,
            listing_months=24,
        )
    )
    assert (again.rows_written, again.rows_unchanged) == (0, 2)
    assert Designation.objects.filter(department=dept_a).count() == 2


def test_a_basis_document_is_found_by_its_authority_and_number(caseworker_a, dept_a, item, chinese):
    """A document is the same document when its issuing authority and its number agree (the documents' unique
    key, and the index the batch reads them by): the same number from another authority is another document; the
    registered one with the same details is used again; with other details the row is refused, as the record form
    refuses it."""
    from subjects.models import BasisDocument

    run(start(caseworker_a, dept_a, csv_file([row(1, item)])))
    registered = BasisDocument.objects.get(number="海口市监罚〔2026〕1号")
    other_authority = row(2, item)
    other_authority[10], other_authority[11] = registered.number, "三亚市市场监督管理局"
    same_details = row(3, item)
    same_details[10] = registered.number
    other_details = row(4, item)
    other_details[10], other_details[12] = registered.number, "2026-03-01"

    job = run(start(caseworker_a, dept_a, csv_file([other_authority, same_details, other_details])))

    assert (job.rows_written, job.rows_refused) == (2, 1)
    assert [column for column, _message in errors_of(job)[4]] == ["basis_number"]
    assert "已登记" in errors_of(job)[4][0][1]
    documents = BasisDocument.objects.filter(number=registered.number)
    assert sorted(documents.values_list("issuing_authority", flat=True)) == [
        "三亚市市场监督管理局",
        "海口市市场监督管理局",
    ]
    assert CreditRecord.objects.get(provider_key="HK-000003").basis_document == registered
    assert CreditRecord.objects.get(provider_key="HK-000002").basis_document.issuing_authority == "三亚市市场监督管理局"
