"""The spec tables ``tests/test_transitions.py`` generates its tests from (issue 17): one table per declared
workflow, one entry per act, saying how to take the act through its real service.

Each ``Spec`` names a case in ``World`` that is in a source state of the act with every guard holding, the actor
who holds the declared permission, one who does not, and how to call the service (with ``expected_version`` when
the service takes one). ``EXCLUDED`` lists, with the reason, every declared act that gets no generated tests; a
declared act in neither fails ``test_every_declared_act_has_a_spec_or_an_exclusion``.

``build_world`` builds every case once, through the services and the builders the apps' own tests use
(``tests/case_data.make_catalog``, ``designations/tests/helpers.to_state``), on the same timeline in the past
(notices in September 2026), objections received an hour before the suite runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from catalog import services as catalog_services
from catalog.choices import PublicationStatus
from catalog.models import CatalogVersion, DesignationStandard
from catalog.workflow import PUBLISHED_LIST, STANDARD
from creditportal.audit import tracked_save
from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.documents import document_render
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from creditportal.tests.factories import DepartmentFactory, user_with_role
from creditportal.workflow import Workflow
from designations import services as designation_services
from designations.models import Designation
from designations.tests.helpers import at, draft, to_state
from designations.workflow import DESIGNATION
from objections import services as objection_services
from objections.models import Objection
from objections.workflow import OBJECTION
from restoration import services as restoration_services
from restoration.models import RestorationApplication
from restoration.workflow import RESTORATION
from subjects import services as subject_services
from subjects.choices import RecordKind
from subjects.models import CreditRecord
from subjects.tests.factories import OrganisationFactory, PersonFactory
from subjects.workflow import RECORD
from tests.case_data import COMMENT_OPENED, STANDARD_PUBLISHED, make_catalog
from tests.case_data import STANDARD as STANDARD_DATA

REASON = "Generated transition test (tests/test_transitions.py)"
#: Objections are received an hour before the suite runs, after the records: the acts on their clocks (another
#: unit's help, an extension) are granted only before the answer deadline (issue 18), so it must still be running.
RECEIVED = timezone.now() - datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Spec:
    """How to take one act: ``case`` (a key of ``World.cases``) is in a source state where the guards hold;
    ``actor`` holds the declared permission, none of ``unpermitted`` does; ``call(obj, actor, world, **version)``
    calls the service (``version`` is ``{"expected_version": n}`` or empty)."""

    case: str
    actor: str
    unpermitted: tuple[str, ...]
    call: Callable[..., Any]
    #: The rule the declaration implements for this act (RULES.md), named in the generated tests' failure messages.
    rule: str = ""
    #: What the service raises for the unpermitted actor: PermissionDenied from the workflow, or a 404-style
    #: DoesNotExist when the service fetches the row through the actor's scope first.
    refused_as: tuple[type[Exception], ...] = (PermissionDenied,)
    #: The state the permitted act ends in when another (internal) act follows it in the same service.
    reaches: str | None = None
    #: Set up what the act needs beyond the case (a profile value), inside the test's savepoint.
    prepare: Callable[[World, Any], None] | None = None
    #: For a wrong state the service refuses before the workflow asks (e.g. an archived record is outside
    #: every casework scope): state → the exception expected instead of TransitionRefused.
    wrong_state_refused_as: Mapping[str, tuple[type[Exception], ...]] | None = None
    #: Before the case is set to a wrong ``state``: make room for it where a constraint allows one row in it.
    make_room: Callable[[Any, str], None] | None = None


@dataclass
class World:
    users: dict[str, Any]
    departments: dict[str, Any]
    cases: dict[str, Any]


# --- building the cases -------------------------------------------------------------------------------------


def build_world() -> World:
    """Every case the spec tables name, built once (the tests run in savepoints inside the caller's transaction)."""
    hk = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局", name_en="Haikou Market Regulation Bureau")
    sy = DepartmentFactory(code="SY-SAMR", name="三亚市市场监督管理局", name_en="Sanya Market Regulation Bureau")
    authority = DepartmentFactory(
        code="HN-DRC",
        name="海南省发展和改革委员会",
        name_en="Hainan DRC",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PROVINCE,
    )
    # R-OBJ-7 (HL 41): complaints about collectors are handled by the municipal credit authority of the locality
    credit = DepartmentFactory(
        code="HK-DRC",
        name="海口市发展和改革委员会",
        name_en="Haikou DRC",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PREFECTURE,
        parent=authority,
    )
    users = {
        "credit_caseworker": user_with_role(Role.CASEWORKER, credit, username="t-credit-caseworker"),
        "caseworker_a": user_with_role(Role.CASEWORKER, hk, username="t-caseworker-a"),
        "supervisor_a": user_with_role(Role.SUPERVISOR, hk, username="t-supervisor-a"),
        "auditor_a": user_with_role(Role.AUDITOR, hk, username="t-auditor-a"),
        "caseworker_b": user_with_role(Role.CASEWORKER, sy, username="t-caseworker-b"),
        "supervisor_b": user_with_role(Role.SUPERVISOR, sy, username="t-supervisor-b"),
        "authority_auditor": user_with_role(Role.AUDITOR, authority, username="t-authority-auditor"),
        "drafter": user_with_role(Role.CASEWORKER, authority, username="t-drafter"),
        "author_2": user_with_role(Role.CASEWORKER, authority, username="t-author-2"),
    }
    # R-RES-5: the deployment promised a period (no regulation fixes one), as restoration/tests/conftest.py does.
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(restoration_promised_wd=10)
    forget_profiles()
    item, standard = make_catalog(actor=users["drafter"], department=hk)
    users["approver"] = type(users["drafter"]).objects.get(username="catalog-approver")
    caseworker, supervisor = users["caseworker_a"], users["supervisor_a"]

    organisation = OrganisationFactory(department=hk, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号")
    subject_services.related_person_add(
        organisation=organisation,
        person=PersonFactory(department=hk, name="王建国"),
        role="legal_representative",
        actor=caseworker,
        reason=REASON,
    )
    numbers = iter(range(300, 1000))

    def new_record() -> CreditRecord:
        number = next(numbers)
        return subject_services.record_create(
            actor=caseworker,
            subject=organisation,
            catalog_item=item,
            summary=f"多次销售过期食品（第{number}次）",
            determined_on=datetime.date(2026, 3, 2),
            basis={
                "basis_type": "punishment_decision",
                "number": f"海口市监罚〔2026〕{number}号",
                "issuing_authority": "海口市市场监督管理局",
                "effective_on": datetime.date(2026, 3, 2),
            },
            reason=REASON,
        )

    cases: dict[str, Any] = {}
    catalog = (item, standard)
    for state in (
        "draft",
        "pending_notice",
        "notified",
        "under_review",
        "awaiting_approval",
        "approved",
        "decision_issued",
        "listed",
    ):
        designation = draft(caseworker=caseworker, department=hk, record=new_record(), catalog=catalog)
        cases[f"designation:{state}"] = to_state(designation, state, caseworker=caseworker, supervisor=supervisor)

    # Objections (R-OBJ-1 to R-OBJ-7), received by the front desk on 25 September 2026.
    def receive(**overrides) -> Objection:
        data: dict[str, Any] = {
            "actor": caseworker,
            "subject": organisation,
            "target": "record",
            "ground": "error",
            "grounds_text": "该处罚决定已被复议机关撤销",
            "received_at": RECEIVED,
            "applicant": "海口椰风食品有限公司（委托代理人 李明）",
            "reason": REASON,
        }
        if data["target"] == overrides.get("target", "record"):
            data["record"] = new_record()
        data.update(overrides)
        return objection_services.objection_receive(**data)

    cases["objection:received"] = receive()
    # R-OBJ-7: complaints about a non-public collector are answered within HL's 20 working days (HL 41), the one
    # profile that sets that period; received under it, as objections/tests/test_services.py does.
    with override_settings(CREDIT_JURISDICTION="HL"):
        forget_profiles()
        cases["complaint:received"] = receive(
            target="collector", collector="海南某信用服务有限公司", ground="rights_violation"
        )
    forget_profiles()
    cases["objection:verifying"] = objection_services.objection_label(
        objection=receive(), actor=caseworker, reason=REASON
    )
    cases["objection:awaiting_assistance"] = objection_services.objection_request_assistance(
        objection=objection_services.objection_label(objection=receive(), actor=caseworker, reason=REASON),
        actor=caseworker,
        assisting_department=sy,
        request="请协助核实处罚决定是否已被撤销",
        reason=REASON,
    )
    decided = objection_services.objection_decide(
        objection=receive(), actor=caseworker, sustained=False, reasons="处罚决定有效，记录无误", reason=REASON
    )
    letter = objection_services.objection_issue_answer(objection=decided, actor=caseworker, reason=REASON)
    document_render(document=letter)
    cases["objection:decided"] = decided
    objected = draft(caseworker=caseworker, department=hk, record=new_record(), catalog=catalog)
    objected = to_state(objected, "pending_notice", caseworker=caseworker, supervisor=supervisor)
    cases["designation_objection:verifying"] = objection_services.designation_objection_receive(
        designation=objected,
        actor=caseworker,
        ground="error",
        grounds_text="认定所依据的处罚决定已被撤销",
        received_at=at(2026, 9, 28),
        reason=REASON,
    )

    # Restoration applications (R-RES-1 to R-RES-5) for a record's untrustworthiness information.
    def apply() -> RestorationApplication:
        return restoration_services.restoration_receive(
            commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
            actor=caseworker,
            reason=REASON,
            method="rectification",
            evidence="整改报告及验收意见",
            record=new_record(),
        )

    cases["restoration:received"] = apply()
    cases["restoration:accepted"] = restoration_services.restoration_accept(
        application=apply(), actor=caseworker, reason=REASON
    )
    cases["restoration:under_review"] = restoration_services.restoration_review(
        application=restoration_services.restoration_accept(application=apply(), actor=caseworker, reason=REASON),
        actor=caseworker,
        opinion="整改到位，已消除不良影响",
        reason=REASON,
    )

    # Credit records: an untrustworthy one to revoke or correct; trustworthiness information to hide and show
    # (built directly, as restoration/tests/test_profiles.py does: the catalog has no trustworthiness item).
    cases["record:active"] = new_record()

    def trustworthy() -> CreditRecord:
        record = CreditRecord(
            department=hk,
            subject=organisation,
            catalog_item=item,
            kind=RecordKind.TRUSTWORTHY,
            summary="志愿服务表彰",
            determined_on=datetime.date(2026, 5, 1),
            recorded_by=caseworker,
        )
        tracked_save(record, actor=caseworker, reason=REASON)
        return record

    cases["record:trustworthy"] = trustworthy()
    cases["record:hidden"] = subject_services.trustworthy_hide(record=trustworthy(), actor=caseworker, reason=REASON)

    # The catalog (R-CAT-1): drafts of the next version, each by the drafter; the approver took no part.
    drafter, approver = users["drafter"], users["approver"]

    def next_draft() -> CatalogVersion:
        return catalog_services.catalog_version_create(
            actor=drafter,
            jurisdiction="HN",
            title="海南省公共信用信息补充目录（修订）",
            reason=REASON,
            based_on=item.version,
        )

    cases["catalog:draft"] = next_draft()
    cases["catalog:submitted"] = catalog_services.published_list_submit(obj=next_draft(), actor=drafter, reason=REASON)
    cases["catalog:approved"] = catalog_services.published_list_approve(obj=next_draft(), actor=approver, reason=REASON)

    # Designation standards (R-CAT-6): a draft whose comment starts today, one in comment since January 2026,
    # one published.
    measure = standard.allowed_measures.get()
    today = timezone.localdate()

    def new_standard(code: str, **dates) -> DesignationStandard:
        return catalog_services.standard_save(
            actor=drafter,
            data={**STANDARD_DATA, "code": code, **dates},
            reason=REASON,
            jurisdiction="HN",
            allowed_measures=[measure],
        )

    cases["standard:draft"] = new_standard(
        "HN-S-T1", comment_starts_on=today, comment_ends_on=today + datetime.timedelta(days=35)
    )

    def in_comment(code: str) -> DesignationStandard:
        return catalog_services.standard_transition(
            standard=new_standard(code), name="open_comment", actor=drafter, reason=REASON, now=COMMENT_OPENED
        )

    cases["standard:in_comment"] = in_comment("HN-S-T2")
    cases["standard:published"] = catalog_services.standard_transition(
        standard=in_comment("HN-S-T3"), name="publish", actor=approver, reason=REASON, now=STANDARD_PUBLISHED
    )
    return World(users=users, departments={"hk": hk, "sy": sy, "authority": authority}, cases=cases)


# --- the spec tables ---------------------------------------------------------------------------------------------

#: Who must be refused an act, by the permission it declares: the department's auditor (reads only) and a
#: caseworker of another department; a caseworker where a supervisor decides, and a supervisor of another
#: department; for the catalog (the provincial credit authority's), someone outside the authority and the
#: authority's own staff without the permission.
CASEWORK_OUTSIDERS = ("auditor_a", "caseworker_b")
SUPERVISION_OUTSIDERS = ("caseworker_a", "supervisor_b")
PROVINCE_OUTSIDERS = ("supervisor_a", "supervisor_b")
ASSIST_OUTSIDERS = ("caseworker_a", "supervisor_a")  # the answering department's staff, not the assisting unit's
AUTHOR_OUTSIDERS = ("caseworker_a", "authority_auditor")
APPROVER_OUTSIDERS = ("author_2", "supervisor_a")

SERVED = {"method": "in_person", "recipient": "王建国"}


def _designation(service, **kwargs):
    return lambda obj, actor, world, **version: service(
        designation=obj, actor=actor, reason=REASON, **kwargs, **version
    )


def _needs_reexamination(world: World, designation) -> None:
    """R-DES-4: a profile requiring the provincial re-examination, and a deciding department below the province."""
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(provincial_reexamination=True)
    forget_profiles()
    hk = world.departments["hk"]
    hk.level, hk.parent = DepartmentLevel.PREFECTURE, world.departments["authority"]
    hk.save()


DESIGNATION_SPECS: dict[str, Spec] = {
    "issue_notice": Spec(
        "designation:draft",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_issue_notice, statement_period_wd=5),
        rule="R-DES-1",
    ),
    "serve_notice": Spec(
        "designation:pending_notice",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_serve_notice, served_on=datetime.date(2026, 9, 25), **SERVED),
        rule="R-DES-1",
    ),
    "close_statements": Spec(
        "designation:notified",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_close_statements),
        rule="R-DES-1",
    ),
    "submit": Spec(
        "designation:under_review",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_submit),
        rule="R-DES-1",
    ),
    "return": Spec(
        "designation:awaiting_approval",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _designation(designation_services.designation_return),
        rule="R-DES-4",
    ),
    "recall": Spec(
        "designation:awaiting_approval",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_recall),
    ),
    "approve": Spec(
        "designation:awaiting_approval",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _designation(designation_services.designation_approve),
        rule="R-DES-4",
    ),
    "reject": Spec(
        "designation:awaiting_approval",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _designation(designation_services.designation_reject),
        rule="R-DES-4",
    ),
    "reexamine": Spec(
        "designation:approved",
        "approver",
        PROVINCE_OUTSIDERS,
        _designation(designation_services.designation_reexamine),
        rule="R-DES-4",
        prepare=_needs_reexamination,
    ),
    "issue_decision": Spec(
        "designation:approved",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_issue_decision),
        rule="R-DES-5",
    ),
    "serve_decision": Spec(
        "designation:decision_issued",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _designation(designation_services.designation_serve_decision, served_on=datetime.date(2026, 10, 16), **SERVED),
        rule="R-DES-5",
        # the same service lists the subject at once (the internal "list" act): served → listed
        reaches="listed",
    ),
    "remove": Spec(
        "designation:listed",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _designation(designation_services.designation_remove, removal_reason="restoration"),
        rule="R-RES-4",
        # the cause the removal reason names exists: a granted restoration application of the designation
        prepare=lambda world, obj: _granted_restoration(obj),
    ),
    "withdraw": Spec(
        "designation:under_review",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _designation(designation_services.designation_withdraw),
        rule="R-DES-2",
    ),
}
DESIGNATION_EXCLUDED = {
    "list": "internal: taken only by designation_serve_decision right after service (covered by serve_decision)",
    "edit": "changes no state (target None): designation_update, designations/tests/test_workflow.py",
    "record_statement": "changes no state (target None): designations/tests/test_workflow.py",
    "schedule_hearing": "changes no state (target None): designations/tests/test_workflow.py",
    "record_hearing": "changes no state (target None): designations/tests/test_workflow.py",
    "receive_objection": "changes no state of the designation (target None): the objection is received",
    "decide_objection": "changes no state of the designation (target None): covered as OBJECTION.decide[designation]",
    "correct_decision": "changes no state (target None): a newly numbered decision document",
}


def _objection(service, **kwargs):
    return lambda obj, actor, world, **version: service(objection=obj, actor=actor, reason=REASON, **kwargs, **version)


def _request_assistance(obj, actor, world, **version):
    return objection_services.objection_request_assistance(
        objection=obj,
        actor=actor,
        assisting_department=world.departments["sy"],
        request="请协助核实处罚决定是否已被撤销",
        reason=REASON,
        **version,
    )


OBJECTION_SPECS: dict[str, Spec] = {
    "label": Spec(
        "objection:received",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _objection(objection_services.objection_label),
        "R-OBJ-2",
    ),
    "accept": Spec(
        "complaint:received",
        "credit_caseworker",  # received in Haikou's market regulator, routed to its credit authority (HL 41)
        ("caseworker_a", "caseworker_b"),
        _objection(objection_services.objection_accept),
        "R-OBJ-7",
    ),
    "request_assistance": Spec(
        "objection:verifying", "caseworker_a", CASEWORK_OUTSIDERS, _request_assistance, "R-OBJ-3"
    ),
    # Only the unit asked to help verify replies: the answering department's own caseworker may not.
    "reply_assistance": Spec(
        "objection:awaiting_assistance",
        "caseworker_b",
        ASSIST_OUTSIDERS,
        _objection(objection_services.objection_reply_assistance, reply="经核实，处罚决定仍然有效"),
        "R-OBJ-3",
    ),
    "refer": Spec(
        "objection:received",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _objection(objection_services.objection_refer, referred_to="海南省市场监督管理局", reasons="不属本单位职责"),
        "R-OBJ-3",
    ),
    "decide": Spec(
        "objection:verifying",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _objection(objection_services.objection_decide, sustained=False, reasons="处罚决定有效，记录无误"),
        "R-OBJ-6",
    ),
    # An objection to a designation is decided on the designation's case page, by whoever may decide there
    # (a supervisor): the caseworker who works the objection may not.
    "decide[designation]": Spec(
        "designation_objection:verifying",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _objection(objection_services.designation_objection_decide, sustained=False, reasons="认定事实清楚"),
        "R-DES-2",
    ),
    "serve_answer": Spec(
        "objection:decided",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        # served today, the day the letter was issued (late on the answer clock, which the test does not read)
        lambda obj, actor, world, **version: objection_services.objection_serve_answer(
            objection=obj,
            actor=actor,
            method="in_person",
            served_on=timezone.localdate(),
            recipient="李明",
            reason=REASON,
            **version,
        ),
        "R-OBJ-6",
    ),
    "withdraw": Spec(
        "objection:received",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        # the applicant's written withdrawal on file (issue 18)
        lambda obj, actor, world, **version: objection_services.objection_withdraw(
            objection=obj, actor=actor, reason=REASON, **_written_withdrawal(), **version
        ),
        "R-OBJ-1",
    ),
}
OBJECTION_EXCLUDED = {
    "pause": "changes no state (target None): the answer clock's pause, objections/tests/test_services.py",
    "resume": "changes no state (target None): the answer clock's resumption, objections/tests/test_services.py",
    "request_extension": "changes no state (target None): a request on the clock, objections/tests/test_services.py",
    "extend": "changes no state (target None): an extension of the clock, objections/tests/test_services.py",
    "refuse_extension": "changes no state (target None): objections/tests/test_services.py",
    "issue_answer": "changes no state (target None): the response letter is issued, then served (serve_answer)",
}


def _restoration(service, **kwargs):
    return lambda obj, actor, world, **version: service(
        application=obj, actor=actor, reason=REASON, **kwargs, **version
    )


RESTORATION_SPECS: dict[str, Spec] = {
    "accept": Spec(
        "restoration:received",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _restoration(restoration_services.restoration_accept),
        "R-RES-5",
    ),
    "refuse": Spec(
        "restoration:received",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _restoration(restoration_services.restoration_refuse, reasons="证明材料不足"),
        "R-RES-1",
    ),
    "review": Spec(
        "restoration:accepted",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _restoration(restoration_services.restoration_review, opinion="整改到位"),
        "R-RES-1",
    ),
    "grant": Spec(
        "restoration:under_review",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _restoration(restoration_services.restoration_grant, reasons="符合修复条件"),
        "R-RES-4",
    ),
    "not_grant": Spec(
        "restoration:under_review",
        "supervisor_a",
        SUPERVISION_OUTSIDERS,
        _restoration(restoration_services.restoration_not_grant, reasons="整改未完成"),
        "R-RES-1",
    ),
    "withdraw": Spec(
        "restoration:accepted",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _restoration(restoration_services.restoration_withdraw),
    ),
}
RESTORATION_EXCLUDED = {
    "serve_notice": "changes no state (target None): the restoration notice's service on the document",
    "serve_refusal": "changes no state (target None): the decision not to accept's service on the document, "
    "restoration/tests/test_adverse_documents.py",
}

#: The record services reached from the pages fetch the record through the actor's "change" scope first: an
#: actor without the permission gets the 404 of a record they cannot see, never the record.
OUT_OF_SCOPE = (ObjectDoesNotExist,)
#: Archived records are hidden from casework (R-DIS-3): outside every scope, so a 404 rather than a refusal.
ARCHIVED_IS_OUT_OF_SCOPE = {"archived": OUT_OF_SCOPE}


def _hide(hide: bool):
    return lambda obj, actor, world, **version: subject_services.trustworthy_hide(
        record=obj, actor=actor, reason=REASON, hide=hide, **version
    )


def _deletion_provided(world: World, record) -> None:
    """R-REC-5 (HB 31): a profile that deletes and archives trustworthiness information at the subject's request."""
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(trustworthy_deleted_on_request=True)
    forget_profiles()


RECORD_SPECS: dict[str, Spec] = {
    "delete_on_request": Spec(
        "record:trustworthy",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        # on the subject's written application, on file (R-REC-5): a PDF, received today
        lambda obj, actor, world, **version: subject_services.trustworthy_delete(
            record=obj,
            actor=actor,
            reason=REASON,
            application=ContentFile(b"%PDF-1.4 signed", name="application.pdf"),
            application_received_on=timezone.localdate(),
            **version,
        ),
        "R-REC-5",
        refused_as=OUT_OF_SCOPE,
        wrong_state_refused_as=ARCHIVED_IS_OUT_OF_SCOPE,
        prepare=_deletion_provided,
    ),
    "hide": Spec(
        "record:trustworthy",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _hide(True),
        "R-REC-5",
        refused_as=OUT_OF_SCOPE,
        wrong_state_refused_as=ARCHIVED_IS_OUT_OF_SCOPE,
    ),
    "show": Spec(
        "record:hidden",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        _hide(False),
        "R-REC-5",
        refused_as=OUT_OF_SCOPE,
        wrong_state_refused_as=ARCHIVED_IS_OUT_OF_SCOPE,
    ),
    "revoke": Spec(
        "record:active",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        lambda obj, actor, world, **version: subject_services.revocation_complete(
            record=obj, actor=actor, reason=REASON, **version
        ),
        "R-RES-6",
        refused_as=OUT_OF_SCOPE,
        wrong_state_refused_as=ARCHIVED_IS_OUT_OF_SCOPE,
        # the revoking legal document is registered first (issue 18: no revocation without it)
        prepare=lambda world, obj: _revoking_document(world, obj),
    ),
    # Changes the record's content, not its status (target None): generated all the same, because the provider's
    # correction is an update a stale page must not overwrite; the state it ends in is the one it started in.
    "correct": Spec(
        "record:active",
        "caseworker_a",
        CASEWORK_OUTSIDERS,
        lambda obj, actor, world, **version: subject_services.record_provider_correct(
            record=obj,
            actor=actor,
            reason=REASON,
            changes={"summary": "多次销售过期食品（更正）"},
            discovered_on=datetime.date(2026, 11, 2),
            **version,
        ),
        "R-REC-4",
        refused_as=OUT_OF_SCOPE,
        wrong_state_refused_as=ARCHIVED_IS_OUT_OF_SCOPE,
    ),
}
RECORD_EXCLUDED = {
    "withdraw": "internal: taken by objection_decide when a sustained objection deletes the record (R-OBJ-6)",
    "suspend": "internal: the system's act when the provider is late on an objection (R-OBJ-5, HB)",
    "resume": "internal: taken when the provider reports or the objection ends (R-OBJ-5)",
    "archive": "internal: the expiry sweep and a granted restoration (R-DIS-3, R-RES-4; see RESTORATION.grant)",
    "serve_sharing_notice": "changes no state (target None): the written notice's service, only where the profile "
    "requires the notice (R-REC-3, HB 22): subjects/tests/test_sharing_notice.py",
    "serve_restoration_info": "changes no state (target None): the notice on credit restoration's service, only where "
    "one was issued with a penalty record (R-NAT-4): subjects/tests/test_restoration_info.py",
}


def _published_list(service):
    return lambda obj, actor, world, **version: service(obj=obj, actor=actor, reason=REASON, **version)


def _one_published(obj, state: str) -> None:
    """One published version per jurisdiction (a unique constraint): the published one is superseded first."""
    if state == PublicationStatus.PUBLISHED:
        type(obj).objects.filter(jurisdiction=obj.jurisdiction, status=state).unguarded().update(
            status=PublicationStatus.SUPERSEDED
        )


def _catalog(case: str, actor: str, unpermitted: tuple[str, ...], service) -> Spec:
    return Spec(case, actor, unpermitted, _published_list(service), "R-CAT-1", make_room=_one_published)


PUBLISHED_LIST_SPECS: dict[str, Spec] = {
    "submit": _catalog("catalog:draft", "drafter", AUTHOR_OUTSIDERS, catalog_services.published_list_submit),
    "approve": _catalog("catalog:submitted", "approver", APPROVER_OUTSIDERS, catalog_services.published_list_approve),
    "return": _catalog("catalog:approved", "approver", APPROVER_OUTSIDERS, catalog_services.published_list_return),
    "discard": _catalog("catalog:draft", "drafter", AUTHOR_OUTSIDERS, catalog_services.published_list_discard),
    "publish": _catalog("catalog:approved", "approver", APPROVER_OUTSIDERS, catalog_services.published_list_publish),
}
PUBLISHED_LIST_EXCLUDED = {
    "supersede": "internal: taken by published_list_publish on the version published before",
    "edit": "changes no state (target None): catalog_item_save and the imports, catalog/tests/test_authoring.py",
}


def _standard(name: str):
    return lambda obj, actor, world, **version: catalog_services.standard_transition(
        standard=obj, name=name, actor=actor, reason=REASON, **version
    )


STANDARD_SPECS: dict[str, Spec] = {
    "open_comment": Spec("standard:draft", "drafter", AUTHOR_OUTSIDERS, _standard("open_comment"), "R-CAT-6"),
    "publish": Spec("standard:in_comment", "approver", APPROVER_OUTSIDERS, _standard("publish"), "R-CAT-6"),
    "withdraw": Spec("standard:published", "approver", APPROVER_OUTSIDERS, _standard("withdraw"), "R-CAT-6"),
}
STANDARD_EXCLUDED = {
    "edit": "changes no state (target None): standard_save, catalog/tests/test_authoring.py",
}


@dataclass(frozen=True)
class Declared:
    workflow: Workflow
    model: type
    specs: dict[str, Spec]
    excluded: dict[str, str]


WORKFLOWS: dict[str, Declared] = {
    "DESIGNATION": Declared(DESIGNATION, Designation, DESIGNATION_SPECS, DESIGNATION_EXCLUDED),
    "OBJECTION": Declared(OBJECTION, Objection, OBJECTION_SPECS, OBJECTION_EXCLUDED),
    "RESTORATION": Declared(RESTORATION, RestorationApplication, RESTORATION_SPECS, RESTORATION_EXCLUDED),
    "RECORD": Declared(RECORD, CreditRecord, RECORD_SPECS, RECORD_EXCLUDED),
    "PUBLISHED_LIST": Declared(PUBLISHED_LIST, CatalogVersion, PUBLISHED_LIST_SPECS, PUBLISHED_LIST_EXCLUDED),
    "STANDARD": Declared(STANDARD, DesignationStandard, STANDARD_SPECS, STANDARD_EXCLUDED),
}


def act_of(key: str) -> str:
    """``decide[designation]`` → ``decide``: a table may take one act through more than one service."""
    return key.split("[", 1)[0]


#: (workflow, spec key) of every generated case, in declaration order.
GENERATED = [(name, key) for name, declared in WORKFLOWS.items() for key in declared.specs]


def _granted_restoration(designation) -> None:
    """A granted restoration application of ``designation`` (the case a "credit restored" removal rests on)."""
    from restoration.tests.factories import RestorationApplicationFactory

    RestorationApplicationFactory(
        department=designation.department, subject=designation.subject, designation=designation, state="granted"
    )


def _written_withdrawal() -> dict:
    """The applicant's signed withdrawal, received today (a fresh file for each call)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    return {
        "withdrawal_received_on": timezone.localdate(),
        "withdrawal_document": ContentFile(b"%PDF-1.4 signed withdrawal", name="withdrawal.pdf"),
    }


def _revoking_document(world, record) -> None:
    """The legal document that revoked ``record``'s basis, registered today (the case a revocation rests on)."""
    from django.utils import timezone

    from subjects.workflow import RECORD

    if record.status not in RECORD.sources_of("revoke"):
        return  # a wrong state: nothing can be registered, and the refusal is the state's
    today = timezone.localdate()
    subject_services.revocation_receive(
        record=record,
        actor=world.users["caseworker_a"],
        reason=REASON,
        ground="revoked",
        legal_document="海府复决字〔2026〕9号",
        effective_on=today,
        received_on=today,
    )
