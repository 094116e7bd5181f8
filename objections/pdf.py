"""Context of the response letter (templates/objections/pdf/response_letter.html): R-OBJ-6, R-OBJ-3, R-OBJ-7.

The letter tells the applicant the outcome and its reasons (or the competent unit the objection was referred
to), what was corrected or deleted, and the remedies; it cites the deployment's own articles (``profile.cite``)
and carries no internal rule id.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.audit import timeline
from creditportal.choices import DocumentKind
from creditportal.documents import Required, documents_of
from creditportal.profiles import current_profile
from designations.choices import DesignationState, Leniency
from designations.pdf import _opening, address, clause

from .choices import ObjectionKind, ObjectionOutcome, ObjectionTarget, RecordRemedy


def _correction(objection) -> dict | None:
    """What the correction changed (the record's own event written by subjects.services.record_correct)."""
    if objection.record_id is None or objection.record_remedy != RecordRemedy.CORRECT:
        return None
    event = timeline(objection.record).filter(action="subjects.record.corrected").order_by("-at").first()
    return event.data if event else None


def _designations_fell(objection) -> list[dict]:
    """The designations withdrawn or removed from the list because the record they rested on fell (R-OBJ-6)."""
    from designations.models import Designation

    event = timeline(objection).filter(action="objections.objection.designations_fell").order_by("-at").first()
    fell = [dict(entry) for entry in (event.data.get("designations", []) if event else [])]
    # Named as the subject knows them: the decision's number, else the prior notice's (never an internal label); a
    # draft the subject was never told of is not news to the subject, and the letter leaves it out.
    designations = Designation.objects.in_bulk([entry["id"] for entry in fell])
    told = []
    for entry in fell:
        designation = designations.get(entry["id"])
        notice = designation.notice_document() if designation else None
        number = designation.decision_number if designation and designation.decision_number else ""
        number = number or (notice.number if notice else "")
        if number:
            told.append({**entry, "number": number})
    return told


def _answered(objection) -> dict:
    """What an objection to a designation answers: the decision in force when it was received (its number, date and
    title), else the prior notice of the designation still pending."""
    designation = objection.designation
    if designation is None:
        return {}
    issued = documents_of(designation).filter(issued_at__lte=objection.received_at)
    decision = issued.filter(kind=DocumentKind.DECISION).order_by("-issued_at", "-pk").first()
    notice = issued.filter(kind=DocumentKind.NOTICE).order_by("-issued_at", "-pk").first()
    waived = designation.leniency == Leniency.MINOR_CORRECTED
    return {
        "decision": decision,
        "decision_on": timezone.localdate(decision.issued_at) if decision and decision.issued_at else None,
        "decision_title": "不予列入严重失信主体名单决定书" if waived else "列入严重失信主体名单决定书",
        "decision_title_en": "Decision not to designate onto the list of seriously untrustworthy entities"
        if waived
        else "Decision on designation onto the list of seriously untrustworthy entities",
        "notice": notice,
    }


def _cites(objection, profile) -> dict:
    """The articles the letter cites, each printed once. An objection to a designation is answered under the
    designation rule (R-DES-2: HL 35), or, where the regulation has no article of its own for it, under the article
    that gave the subject the right to object in the designation procedure (R-DES-1: HN 21) — never under the
    article on objections to records (HN 30)."""

    def cite(rule: str) -> str:
        return profile.cite(rule) if profile else ""

    designation = cite("R-DES-2") or cite("R-DES-1")
    if objection.kind == ObjectionKind.COMPLAINT:
        opening, outcome = cite("R-OBJ-7"), ""
    elif objection.target == ObjectionTarget.DESIGNATION:
        opening, outcome = designation, designation
    else:
        opening, outcome = cite("R-OBJ-1"), cite("R-OBJ-6")
    return {
        "opening": opening,
        "outcome": "" if outcome == opening else outcome,  # not the same article twice
        "answer": cite("R-OBJ-3"),
        "designation": designation,
    }


def response_letter_context(*, case, document) -> dict:
    objection = case
    profile = current_profile()
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    department = objection.department
    remedies = dict(profile.remedies or {}) if profile else {}
    return {
        "objection": objection,
        "document": document,
        "department": department,
        "subject": objection.subject,
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "complaint": objection.kind == ObjectionKind.COMPLAINT,
        "about_record": objection.target == ObjectionTarget.RECORD,
        "about_designation": objection.target == ObjectionTarget.DESIGNATION,
        "about_identity": objection.target == ObjectionTarget.IDENTITY,
        "sustained": objection.outcome == ObjectionOutcome.SUSTAINED,
        "deleted": objection.record_remedy == RecordRemedy.WITHDRAW,
        "correction": _correction(objection),
        "referred": bool(objection.referred_to),
        "remedies": remedies,
        "reconsideration_body": department.government
        if remedies.get("reconsideration_body") == "same_level_government"
        else (department.parent.name if department.parent else department.government),
        "cite": _cites(objection, profile),
        "you": address(objection.subject),
        "reasons": clause(objection.reasons),
        "answered": _answered(objection),
        "sharing_due": objection.record.sharing_due if objection.record_id else None,
        "designations_fell": _designations_fell(objection),
        # an adopted objection to a designation took it off the list, or withdrew it before it was in force
        "designation_removed": bool(objection.designation and objection.designation.state == DesignationState.REMOVED),
    }


# --- What the response letter must state (issue 19), checked before it is issued and again on its PDF ------------


def _outcome_requires(context) -> list[Required]:
    """R-OBJ-6 (R-DES-2 for a designation, R-OBJ-7 for a complaint): the finding as decided, never the other one, and
    what it does: what was corrected or deleted, the designation withdrawn or removed, or the decision upheld."""
    subject, you = context["subject"], context["you"]
    sustained, answered = context["sustained"], context["answered"]
    noun = "投诉" if context["complaint"] else "异议"
    found, other = (f"{you}提出的{noun}成立", f"{you}提出的{noun}不成立")
    if not sustained:
        found, other = other, found
        if context["about_designation"]:
            found += "，本机关决定不予采纳"
        elif not context["complaint"]:
            found += "，本机关决定不予更正"
    required = [
        Required(_("the outcome matching the decision"), found),
        Required(_("the outcome matching the decision"), other, present=False),
    ]
    decision = answered.get("decision")
    if context["about_designation"]:
        required.append(
            Required(
                _("the designation objected to"),
                f"{decision.number}《{answered['decision_title']}》"
                if decision
                else f"本机关拟将{subject.name}列入严重失信主体名单",
            )
        )
    if sustained:
        if context["deleted"]:
            required.append(Required(_("what was corrected"), "本机关已删除该信用信息"))
        elif context["correction"]:
            after = context["correction"].get("after", {})
            required.append(Required(_("what was corrected"), "本机关已更正该信用信息"))
            required += [
                Required(_("what was corrected"), str(after[name]))
                for name in ("summary", "determined_on", "conduct_ended_on")
                if after.get(name)
            ]
        required += [
            Required(_("the designations that fell with the record"), f"严重失信主体认定（{fell['number']}）")
            for fell in context["designations_fell"]
        ]
        if context["about_designation"]:
            required.append(
                Required(
                    _("the designation withdrawn or removed"),
                    f"本机关已将{subject.name}移出严重失信主体名单"
                    if context["designation_removed"]
                    else f"本机关已撤销将{subject.name}列入严重失信主体名单的认定",
                )
            )
    elif context["about_designation"]:
        required.append(
            Required(_("that the decision is upheld"), f"维持{decision.number}《{answered['decision_title']}》")
            if decision
            else Required(_("that the designation procedure continues"), "认定程序依法继续进行")
        )
    return required


def response_letter_requires(context) -> list[Required]:
    """R-OBJ-6, R-OBJ-3, R-OBJ-7: the title, the number, the applicant answered and the subject, the outcome as decided
    and its reasons (or, referred, the competent unit), the articles the letter cites, and, where the outcome is
    adverse (not sustained), the remedies with their body and time limits."""
    objection, document, remedies = context["objection"], context["document"], context["remedies"]
    required = [
        Required(_("the title"), "投诉处理答复书" if context["complaint"] else "信用信息异议处理答复书"),
        Required(_("the document number"), document.number),
        Required(_("the applicant"), objection.applicant),
        Required(_("the subject"), context["subject"].name),
        Required(_("the article of the regulation"), context["cite"]["opening"]),
    ]
    if context["referred"]:  # R-OBJ-3: the applicant learns where the objection went
        return [*required, Required(_("the competent unit it was referred to"), f"已移送{objection.referred_to}处理")]
    required += [
        *_outcome_requires(context),
        # the Chinese sentence, not the typed words alone (the English parallel text repeats them)
        Required(_("the reasons"), "理由：" + _opening(context["reasons"]) if context["reasons"] else ""),
        Required(_("the article of the regulation"), context["cite"]["outcome"]),
    ]
    if not context["sustained"]:  # adverse: where and how long to challenge it
        required += [
            Required(_("the body that hears a reconsideration"), context["reconsideration_body"]),
            Required(_("the time limit for reconsideration"), f"{remedies.get('reconsideration_days', '')}日内"),
            Required(_("the time limit for litigation"), f"{remedies.get('litigation_months', '')}个月内"),
        ]
    return required
