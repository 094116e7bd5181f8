"""Context builders for the designation's documents (templates in templates/designations/pdf/).

Official documents speak the deployment's law: they cite its own regulation's articles (the profile's
``cite``), state its remedies from the profile's data (bodies and time limits), and carry no internal rule
id. English appears only where the English parallel text was chosen when the document was issued.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.documents import Required
from creditportal.profiles import current_profile

from .choices import Leniency, MeasureStatus, StatementKind
from .periods import listing_cap
from .selectors import report_recipient

#: Punctuation a typed text may end with; a template that ends the sentence itself strips it first (no "。。").
_TRAILING = "。．.；;，,、：:！!？?\u3000 \t\r\n"


def clause(text: str | None) -> str:
    """A text a person typed, without the punctuation it ends with, for a template that ends the sentence."""
    return (text or "").rstrip(_TRAILING)


def address(subject) -> str:
    """How a document addresses the subject: a natural person is 你, an organisation 你单位."""
    return "你" if subject.is_person else "你单位"


def cites_already(text: str, profile, rule: str) -> bool:
    """Does ``text`` (a typed legal basis) already cite the profile's article for ``rule``? Then the document does not
    print it a second time (《条例》第二十条、第二十一条 already names 第二十一条)."""
    article = (profile.articles or {}).get(rule) if profile else None
    title = profile.regulation_zh if profile else ""
    if not (article and title):
        return False
    # what follows each mention of the regulation's title, up to the next title or clause
    return any(article in re.split(r"[《；;。]", rest, maxsplit=1)[0] for rest in text.split(title)[1:])


def _standard(designation) -> dict:
    """The standard as documents name it: its title, who published it, its legal basis — never its internal code."""
    standard = designation.standard
    return {
        "title": clause(standard.title).strip("《》"),
        "issuer": standard.issuing_department.name if standard.issuing_department_id else "",
        "legal_basis": clause(standard.legal_basis),
        "removal_conditions": clause(standard.removal_conditions),
        "removal_procedure": clause(standard.removal_procedure),
    }


def _common(designation, document) -> dict:
    subject = designation.subject
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    profile = current_profile()
    standard = _standard(designation)
    return {
        "designation": designation,
        "document": document,
        "department": designation.department,
        "subject": subject,
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person
        else [],
        "records": list(designation.records.select_related("basis_document", "catalog_item")),
        "standard": standard,
        # the deployment's article is printed after the legal basis unless the basis already cites it
        "basis_cites_decision": cites_already(standard["legal_basis"], profile, "R-DES-5"),
        "you": address(subject),
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "profile": profile,
        # The deployment's own articles, by what they ground (never an internal rule id in a document).
        "cite": {
            name: profile.cite(rule) if profile else ""
            for name, rule in (
                ("notice", "R-DES-1"),
                ("decision", "R-DES-5"),
                ("related", "R-REC-2"),
                ("objection", "R-OBJ-1"),
                ("restoration", "R-RES-1"),
                ("leniency", "R-DES-7"),
                ("report", "R-DES-9"),
                ("remedies", "remedies"),
            )
        },
    }


def notice_context(*, case, document) -> dict:
    """R-DES-1: facts, reasons, basis, proposed measures and the subject's rights, with the period and where to
    send a statement."""
    context = _common(case, document)
    context["measures"] = [
        link.measure
        for link in case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure")
    ]
    return context


def procedure_summary(designation) -> dict:
    """What the subject actually did in the procedure, for the decision (R-DES-1, R-DES-3, R-DES-5)."""
    statements = list(designation.statements.order_by("received_on", "pk"))
    waiver = next((s for s in statements if s.kind == StatementKind.WAIVER), None)
    said = [s for s in statements if s.kind != StatementKind.WAIVER]
    return {
        # what the subject said and why it was or was not adopted, as clauses the document ends itself
        "statements": [
            {
                "received_on": s.received_on,
                "kind": s.kind,
                "kind_label": StatementKind(s.kind).label,  # lazy: Chinese or English where the document prints it
                "text": clause(s.text),
                "adopted": s.adopted,
                "considered": clause(s.considered),
            }
            for s in said
        ],
        "waiver": waiver,
        "silent": not said and waiver is None,
        "hearings": list(designation.hearings.filter(held_at__isnull=False).order_by("held_at")),
    }


#: Why a designation ended, as the notice tells the subject, and the rule whose article it cites.
ENDED_BECAUSE = {
    "expiry": ("列入期限届满", "R-DIS-3"),
    "basis_expired": ("所依据信用信息的公示期限届满", "R-DIS-3"),
    "restoration": ("信用修复申请经审核符合条件", "R-RES-4"),
    "objection_adopted": ("你提出的异议经复核成立", "R-DES-2"),
    "revocation": ("所依据的法律文书已被依法撤销", "R-RES-6"),
    "basis_corrected": ("所依据的信用信息经更正后不再构成认定依据", "R-OBJ-6"),
}


def removal_notice_context(*, case, document) -> dict:
    """Issue 19: the subject is told when a designation ends, whatever ended it: off the list (the measures stop),
    or, before it came into force, the procedure ended (no decision will follow); with the cause and the article."""
    context = _common(case, document)
    because, rule = ENDED_BECAUSE.get(case.removal_reason, ("", ""))
    profile = context["profile"]
    context.update(
        listed=case.listed_from is not None,
        because=because.replace("你", context["you"], 1) if because.startswith("你") else because,
        cause_article=profile.cite(rule) if profile and rule else "",
        ended_on=timezone.localdate(case.removed_at) if case.removed_at else context["issued_on"],
        decision=case.decision_document(),
        notice=case.notice_document(),
        measures=[
            link
            for link in case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure")
            if link.starts_on
        ],
    )
    return context


def restoration_info_context(*, case, document) -> dict:
    """R-NAT-4 (两书同达): the notice on credit restoration served with the decision that lists the subject: from
    when it may apply (the day after the longest minimum display period of the information it rests on, R-NAT-3),
    how, and with what; the rule set in force named as the source."""
    from creditportal.rules import instrument_of, value_on
    from subjects.disclosure import restoration_open_from

    context = _common(case, document)
    issued_on = context["issued_on"]
    _value, rules = value_on("restoration_notice_with_decision", issued_on)
    profile = context["profile"]
    context.update(
        decision=case.decision_document(),
        # None: the shortest periods have passed when the notice is issued, the subject may apply at once
        may_apply_from=restoration_open_from(case.records.select_related("catalog_item"), after=issued_on),
        instrument=instrument_of(rules, "restoration_notice_with_decision") if rules else "",
        restoration_wd=profile.restoration_period_wd(emergency=case.leniency == Leniency.EMERGENCY)
        if profile
        else None,
    )
    return context


def restoration_info_requires(context) -> list[Required]:
    """R-NAT-4: the title, number, subject, the decision it is served with, when and how to apply, the commitment."""
    decision, start = context["decision"], context["may_apply_from"]  # None: at once, from service
    return [
        Required(_("the title"), "信用修复告知书"),
        *_identity(context),
        Required(_("the decision it is served with"), decision.number if decision else "（决定书）"),
        Required(_("when the subject may apply"), f"{start.year}年{start.month}月{start.day}日" if start else ""),
        Required(_("the public credit commitment"), "信用承诺书"),
        Required(_("free of charge"), "不收取任何费用"),
    ]


def listing_end(designation) -> datetime.date | None:
    """The last listed day when known (after service); the day before the same date N months later."""
    if designation.listed_until:
        return designation.listed_until
    return None


def decision_context(*, case, document) -> dict:
    """R-DES-5: reasons and basis, measures and their warning, one listing period, removal, remedies."""
    context = _common(case, document)
    links = list(case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure"))
    profile = context["profile"]
    remedies = dict(profile.remedies or {}) if profile else {}
    department = case.department
    context.update(
        measures=[link.measure for link in links],
        leniency_reasons=clause(case.leniency_reasons),
        proportionality=clause(case.proportionality_statement),
        waived=case.leniency == Leniency.MINOR_CORRECTED,
        emergency=case.leniency == Leniency.EMERGENCY,
        # R-RES-5, R-DES-7: the period promised for restoration, reduced for a listing caused by an emergency
        restoration_wd=profile.restoration_period_wd(emergency=case.leniency == Leniency.EMERGENCY)
        if profile
        else None,
        listing_months=case.proposed_listing_months,
        listed_until=listing_end(case),
        # R-DIS-1 (issue 19): before service the decision states the latest day the listing can end, when the
        # information it rests on stops being disclosed; never a listing past it.
        listing_cap=listing_cap(case, records=case.records.select_related("catalog_item")),
        supersedes=getattr(document, "supersedes", None),
        procedure=procedure_summary(case),
        remedies=remedies,
        reconsideration_body=department.government
        if remedies.get("reconsideration_body") == "same_level_government"
        else (department.parent.name if department.parent else department.government),
    )
    return context


def report_context(*, case, document) -> dict:
    """R-DES-9: the letter to the authority above or to the audit organ."""
    context = _common(case, document)
    context.update(
        recipient=report_recipient(document),
        staff=case.subject.is_person,  # a member of the staff of a state organ: reported to the unit (HL 32)
        superior=case.department.parent,
        listed_until=listing_end(case),  # reported at service, once the listing's dates are fixed
    )
    return context


# --- What each document must state (issue 19), checked before it is issued and again on its PDF ----------------


def _opening(text: str, length: int = 12) -> str:
    """The first words of a typed text (its first line): enough to find it in the document, whatever the layout."""
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return clause(first)[:length]


def _identity(context) -> list[Required]:
    document, subject = context["document"], context["subject"]
    return [Required(_("the document number"), document.number), Required(_("the subject"), subject.name)]


def notice_requires(context) -> list[Required]:
    """R-DES-1: the facts, reasons and basis, the measures proposed, the rights and the period to exercise them."""
    designation = context["designation"]
    return [
        Required(_("the title"), "列入严重失信主体名单事先告知书"),
        *_identity(context),
        Required(_("the facts"), _opening(designation.facts)),
        Required(_("the reasons"), _opening(designation.reasons)),
        Required(_("the article of the regulation"), context["cite"]["notice"]),
        Required(_("the statement and defence period"), f"{designation.statement_period_wd}个工作日"),
        Required(_("the right to object"), "异议"),
    ]


def decision_requires(context) -> list[Required]:
    """R-DES-5: a title that matches the outcome, the facts, reasons and basis, the period, the conditions for
    removal, and the remedies with their body and time limits."""
    designation, remedies = context["designation"], context["remedies"]
    waived = context["waived"]
    required = [
        Required(_("the title matching the outcome"), "不予列入严重失信主体名单决定书", present=waived),
        Required(_("the title matching the outcome"), "列入严重失信主体名单决定书"),
        *_identity(context),
        Required(_("the facts"), _opening(designation.facts)),
        Required(_("the reasons"), _opening(designation.reasons)),
        Required(_("the designation standard"), f"《{context['standard']['title']}》"),
        Required(_("the legal basis"), _opening(context["standard"]["legal_basis"])),
        # the deployment's article, unless the legal basis typed already cites it (then it is not printed twice)
        Required(
            _("the article of the regulation"), "" if context["basis_cites_decision"] else context["cite"]["decision"]
        ),
        Required(_("the body that hears a reconsideration"), context["reconsideration_body"]),
        Required(_("the time limit for reconsideration"), f"{remedies.get('reconsideration_days', '')}日内"),
        Required(_("the time limit for litigation"), f"{remedies.get('litigation_months', '')}个月内"),
    ]
    if not waived:  # a listing: its period and how it ends
        required += [
            Required(_("the listing period"), f"{context['listing_months']}个月"),
            Required(_("the removal conditions"), _opening(context["standard"]["removal_conditions"], 8)),
        ]
    return required


def removal_notice_requires(context) -> list[Required]:
    """Issue 19: the subject is told which designation ended, why, and from when."""
    return [
        Required(
            _("the title"), "移出严重失信主体名单告知书" if context["listed"] else "终止严重失信主体认定程序告知书"
        ),
        *_identity(context),
        Required(_("the cause"), context["because"]),
        Required(
            _("the date it ended"),
            f"{context['ended_on'].year}年{context['ended_on'].month}月{context['ended_on'].day}日",
        ),
    ]


def report_requires(context) -> list[Required]:
    """R-DES-9: the report names the subject, the facts, the decision and the listing's dates."""
    designation, until = context["designation"], context["listed_until"]
    start = designation.listed_from
    staff = context["staff"]
    return [
        Required(_("the title"), "列入严重失信主体名单的通报" if staff else "列入严重失信主体名单的报告"),
        Required(_("the subject"), context["subject"].name),
        Required(_("the unit the person works for"), context["subject"].employer if staff else ""),
        Required(_("the facts"), _opening(designation.facts)),
        Required(_("the document number"), designation.decision_number),
        Required(_("the listing period"), f"{start.year}年{start.month}月{start.day}日" if start else ""),
        Required(_("the listing period"), f"{until.year}年{until.month}月{until.day}日" if until else ""),
    ]
