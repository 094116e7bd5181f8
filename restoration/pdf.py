"""Context builder of the restoration application's documents (templates in templates/restoration/pdf/): the
notice of the outcome (``notice.html``, kind ``restoration_notice``) and the decision not to accept the application
(``refusal.html``, kind ``restoration_refusal``). They speak the deployment's law: its own
articles through the profile's ``cite``, no internal rule id, and the remedies from the profile's data (R-RES-4;
issue 19: every adverse act states its reasons and remedies)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.documents import Required
from creditportal.profiles import current_profile
from designations.pdf import _opening

from .choices import RestorationState


def reconsideration_body(department, remedies: dict) -> str:
    """Where to apply for administrative reconsideration, as the designation decision names it (R-DES-5): the
    people's government at the deciding department's level, else the department above (or the government)."""
    if remedies.get("reconsideration_body") == "same_level_government":
        return department.government
    return department.parent.name if department.parent else department.government


def _cite(profile, *rules: str) -> str:
    """The deployment's first article among ``rules`` ("" when its regulation has none)."""
    for rule in rules:
        cited = profile.cite(rule) if profile else ""
        if cited:
            return cited
    return ""


def document_context(*, case, document) -> dict:
    """R-RES-4 (HN 32, HL 40, HB 30): the subject is told the outcome — granted: off the list, disclosure and
    sharing stopped, measures stopped, the information archived; not granted: a decision with the reasons, the
    article and the remedies. An application refused at acceptance (R-RES-1) gets the decision not to accept, with
    the same elements. A natural person is addressed as 你, an organisation as 你单位."""
    application = case
    profile = current_profile()
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    designation = application.designation
    records = (
        list(designation.records.select_related("catalog_item", "basis_document"))
        if designation
        else [application.record]
    )
    subject = application.subject
    department = application.department
    remedies = dict(profile.remedies or {}) if profile else {}
    return {
        "application": application,
        "document": document,
        "department": department,
        "subject": subject,
        "you": "你" if subject.is_person else "你单位",
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person
        else [],
        "designation": designation,
        "records": records,
        "granted": application.state == RestorationState.GRANTED,
        "received_on": timezone.localtime(application.received_at).date(),
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "remedies": remedies,
        "reconsideration_body": reconsideration_body(department, remedies),
        "cite": {
            "restoration": _cite(profile, "R-RES-1"),
            "effects": _cite(profile, "R-RES-4"),
            # what a refusal rests on: the restoration article, or (HB) the one on its grounds
            "basis": _cite(profile, "R-RES-1", "R-RES-3"),
            "remedies": _cite(profile, "remedies"),
        },
    }


# --- What each document must state (issue 19), checked before it is issued and again on its PDF ----------------


def _identity(context) -> list[Required]:
    return [
        Required(_("the document number"), context["document"].number),
        Required(_("the subject"), context["subject"].name),
    ]


def _adverse(context) -> list[Required]:
    """An adverse act (issue 19; R-DES-5's remedies): the reasons, the article it rests on, and the remedies with
    their article, body and time limits."""
    application, remedies = context["application"], context["remedies"]
    reasons = _opening(application.decision_reasons)
    return [
        # the Chinese sentence (理由如下 / 事实和理由如下), not the typed words alone: the English text repeats them
        Required(_("the reasons"), "理由如下：" + reasons if reasons else ""),
        Required(_("the article of the regulation"), context["cite"]["basis"]),
        Required(_("the article on remedies"), context["cite"]["remedies"]),
        Required(_("the body that hears a reconsideration"), context["reconsideration_body"]),
        Required(_("the time limit for reconsideration"), f"{remedies.get('reconsideration_days', '')}日内"),
        Required(_("the time limit for litigation"), f"{remedies.get('litigation_months', '')}个月内"),
    ]


def notice_requires(context) -> list[Required]:
    """R-RES-4: a title that matches the outcome; granted: the articles and what the restoration ends (off the list,
    disclosure stopped); not granted: a decision with its reasons, article and remedies."""
    granted = context["granted"]
    required = [
        Required(_("the title matching the outcome"), "信用修复通知书", present=granted),
        Required(_("the title matching the outcome"), "不予信用修复决定书", present=not granted),
        *_identity(context),
    ]
    if not granted:
        return [*required, *_adverse(context)]
    required += [
        Required(_("the article of the regulation"), context["cite"]["restoration"]),
        Required(_("the article of the regulation"), context["cite"]["effects"]),
        Required(_("the effects of the restoration"), "失信信息停止公示"),
    ]
    if context["designation"]:
        # off the list and the measures stopped (the application's own words name the list too)
        required.append(
            Required(_("the effects of the restoration"), f"{context['you']}移出严重失信主体名单，相关惩戒措施同时停止")
        )
    return required


def refusal_requires(context) -> list[Required]:
    """R-RES-1 (issue 19): the decision not to accept states its facts and reasons, the article and the remedies."""
    return [
        Required(_("the title"), "不予受理信用修复申请决定书"),
        *_identity(context),
        *_adverse(context),
    ]
