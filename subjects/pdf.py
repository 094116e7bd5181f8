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
