"""Context builder of the record's document (template in templates/subjects/pdf/): the written notice to the subject
before its untrustworthiness information is delivered to the aggregating unit (R-REC-3, HB 22). Like every official
document it speaks the deployment's law: its own articles through the profile's ``cite``, never an internal rule id.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.documents import Required
from creditportal.profiles import current_profile


def sharing_notice_context(*, case, document) -> dict:
    """R-REC-3 (HB 22): what is recorded about the subject (the catalog item, the summary, the basis document, the
    determination, the disclosure period), that it will be delivered to the provincial aggregating unit, the article
    that requires the notice, and the subject's right to object in writing to errors or omissions (R-OBJ-1) with
    where to send the objection. A natural person is addressed as 你, an organisation as 你单位."""
    record = case
    profile = current_profile()
    subject = record.subject
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    return {
        "record": record,
        "document": document,
        "department": record.department,
        "subject": subject,
        "basis": record.basis_document,
        "you": "你" if subject.is_person else "你单位",
        "issued_on": issued.date(),
        "cite": {
            "notice": profile.cite("R-REC-3") if profile else "",
            "objection": profile.cite("R-OBJ-1") if profile else "",
        },
    }


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def sharing_notice_requires(context) -> list[Required]:
    """Issue 19: what the notice before sharing must state (R-REC-3, R-OBJ-1), checked before it is issued and on its
    PDF: the title, number, subject, the information recorded and its period, the articles, and the right to
    object with where to send it."""
    record, document, department = context["record"], context["document"], context["department"]
    return [
        Required(_("the title"), "失信信息报送前书面告知书"),
        Required(_("the document number"), document.number),
        Required(_("the subject"), context["subject"].name),
        Required(_("the information recorded"), record.catalog_item.name),
        Required(_("the disclosure period"), _date(record.disclosure_until)),
        Required(_("the article of the regulation"), context["cite"]["notice"]),
        Required(_("the right to object"), "书面异议"),
        Required(_("where to send an objection"), department.address),
    ]


def restoration_info_context(*, case, document) -> dict:
    """R-NAT-4 (两书同达): the notice on credit restoration served with an administrative penalty decision entered as
    untrustworthiness information: the decision, the information's class and period, from when the subject may apply
    (the day after the shortest publication period, R-NAT-3; at once when it has passed), how, with what, free."""
    from creditportal.rules import instrument_of, value_on

    from .disclosure import restoration_open_from

    record = case
    context = sharing_notice_context(case=case, document=document)
    _value, rules = value_on("restoration_notice_with_decision", record.determined_on)
    context.update(
        may_apply_from=restoration_open_from([record], after=context["issued_on"]),
        instrument=instrument_of(rules, "restoration_notice_with_decision") if rules else "",
        profile=current_profile(),
    )
    return context


def restoration_info_requires(context) -> list[Required]:
    """R-NAT-4: the title, number, subject, the penalty decision it goes with, when and how to apply, the commitment,
    free of charge."""
    record, start = context["record"], context["may_apply_from"]
    basis = context["basis"]
    return [
        Required(_("the title"), "信用修复告知书"),
        Required(_("the document number"), context["document"].number),
        Required(_("the subject"), context["subject"].name),
        Required(_("the decision it is served with"), basis.number if basis else ""),
        Required(_("the information recorded"), record.catalog_item.name),
        Required(_("when the subject may apply"), _date(start)),
        Required(_("the public credit commitment"), "信用承诺书"),
        Required(_("free of charge"), "不收取任何费用"),
    ]


def _qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (WeasyPrint draws it; the fetcher loads no ``data:`` image)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=1)
    return image.to_string(encoding="unicode")


def credit_report_context(*, case, document) -> dict:
    """HN 28 (R-SEC-1): the subject's information of the report's period and sectors as it stood at ``as_of``: the
    records on display (restored, revoked, archived and suspended ones are not: R-RES-4, R-DIS-3), the listings on
    the list of seriously untrustworthy entities in the period; the verification code and its QR code."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.safestring import mark_safe

    from catalog.choices import Sector

    report = case
    subject = report.subject
    records = (
        subject.records.filter(
            status="active", determined_on__gte=report.period_from, determined_on__lte=report.period_to
        )
        .select_related("catalog_item", "department", "basis_document")
        .order_by("determined_on", "pk")
    )
    if report.sectors:
        records = records.filter(catalog_item__sector__in=report.sectors)
    listings = (
        # the listings, through the relation (the designations app sits above this one)
        subject.designations.filter(listed_from__isnull=False, listed_from__lte=report.period_to)
        .exclude(listed_until__lt=report.period_from)
        .select_related("standard", "department")
        .order_by("listed_from", "pk")
    )
    verify_page = settings.EMAIL_LINK_BASE_URL.rstrip("/") + reverse("report_verify")
    verify_url = f"{verify_page}?code={report.verification_code}"
    profile = current_profile()
    return {
        "report": report,
        "sectors": "、".join(str(Sector(code).label) for code in report.sectors if code in Sector.values),
        "document": document,
        "subject": subject,
        "department": report.department,
        "untrustworthy": [r for r in records if r.kind == "untrustworthy"],
        "trustworthy": [r for r in records if r.kind == "trustworthy"],
        "listings": list(listings),
        "as_of": timezone.localtime(report.as_of),
        "verify_url": verify_url,
        "verify_page": verify_page,
        "qr": mark_safe(_qr_svg(verify_url)),  # noqa: S308 - our own SVG of our own address, no user text
        "cite": {"report": profile.cite("R-SEC-1") if profile else ""},
    }


def credit_report_requires(context) -> list[Required]:
    """What every credit report states: its title, the subject, the period, the moment, and how to check it."""
    report = context["report"]
    return [
        Required(_("the title"), "信用报告"),
        Required(_("the subject"), context["subject"].name),
        Required(_("the period"), _date(report.period_from)),
        Required(_("the verification code"), report.verification_code),
    ]
