"""What each role may do, declared once. ``permissions.RoleBackend`` reads it; nothing else grants rights.

Department roles act only on their department's cases (scoping: ``creditportal.permissions``).
System roles are kept separate (R-SEC-6, graded protection): the system administrator runs the
reference data, the security administrator runs accounts, the audit administrator reads the logs;
none of them does case work, and none can do another's job.
"""

from .choices import Role, SystemRole

#: Case data: rows with a department, scoped by it.
CASE_MODELS = (
    "subjects.creditsubject",
    "subjects.relatedperson",
    "subjects.consent",
    "subjects.basisdocument",
    "subjects.creditrecord",
    "subjects.basisrevocation",
    "subjects.creditreport",
    "subjects.inquiryauthorisation",
    "subjects.serviceconsent",
    "designations.designation",
    "designations.designationmeasure",
    "designations.statement",
    "designations.hearing",
    "objections.objection",
    "restoration.restorationapplication",
    "creditportal.issueddocument",
    "creditportal.servicerecord",
    "creditportal.deadline",
    "creditportal.deadlinepause",
    "creditportal.deadlineextension",
    "exchange.recordimport",
)

#: Reference data: the same for every department, maintained by the system administrator.
REFERENCE_MODELS = (
    "creditportal.department",
    "creditportal.jurisdictionprofile",
    "creditportal.ruleset",
    "creditportal.calendaryear",
    "creditportal.calendarday",
    "creditportal.documentsequence",
    "catalog.catalogversion",
    "catalog.catalogitem",
    "catalog.measurelist",
    "catalog.punishmentmeasure",
    "catalog.rewardmeasure",
    "catalog.designationstandard",
)

ACCOUNT_MODELS = ("creditportal.user", "creditportal.membership")
AXES_MODELS = ("axes.accessattempt", "axes.accesslog", "axes.accessfailurelog")


def _perms(models: tuple[str, ...], *actions: str) -> frozenset[str]:
    """``("subjects.creditsubject",), "view"`` → ``{"subjects.view_creditsubject"}``."""
    out: set[str] = set()
    for label in models:
        app, model = label.split(".")
        out.update(f"{app}.{action}_{model}" for action in actions)
    return frozenset(out)


#: Catalog authoring (R-CAT-1, R-CAT-6, R-CAT-7). Services also require a role in a provincial credit
#: authority: a caseworker of a market regulator holds these permissions but cannot use them.
CATALOG_MODELS = tuple(m for m in REFERENCE_MODELS if m.startswith("catalog."))
_CATALOG_AUTHORING = _perms(CATALOG_MODELS, "add", "change")
_CATALOG_APPROVAL = frozenset({"catalog.approve_catalogversion"})

#: The person responsible in a department: approves designations (R-DES-1..5) and extends objection deadlines (R-OBJ-3).
_CASE_APPROVAL = frozenset({"designations.approve_designation", "objections.approve_objection"})
_CASEWORK = _perms(CASE_MODELS, "view", "add", "change") | _perms(REFERENCE_MODELS, "view") | _CATALOG_AUTHORING
_READ_ONLY = _perms(CASE_MODELS, "view") | _perms(REFERENCE_MODELS, "view")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: _CASEWORK,
    Role.SUPERVISOR: _CASEWORK | _CASE_APPROVAL | _CATALOG_APPROVAL,
    # the department's head confirms the roles the security administrator gives in it (issue 21)
    Role.HEAD: _CASEWORK | _CASE_APPROVAL | _CATALOG_APPROVAL | {"creditportal.confirm_membership"},
    # the access log of his department: who looked at which subject and why (R-SEC-3, issue 21)
    Role.AUDITOR: _READ_ONLY | {"creditportal.view_auditevent", "creditportal.view_accessentry"},
}

SYSTEM_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Reference data to run (departments, profiles, calendar); the catalog and case data read-only in the
    # admin for support, never changed there (the catalog has its own four-eyes workflow).
    SystemRole.SYSTEM_ADMIN: _perms(
        tuple(m for m in REFERENCE_MODELS if m not in CATALOG_MODELS), "view", "add", "change"
    )
    | _perms(CATALOG_MODELS, "view")
    | _perms(CASE_MODELS, "view")
    | frozenset({"catalog.view_importjob"})  # background imports, to find stuck work
    | frozenset({"creditportal.view_submittoken"})  # which form submission created what
    | frozenset({"designations.view_publication"})  # the public list's ledger (issue 22), what was published when
    | frozenset({"restoration.view_publishedcommitment"})  # the published credit commitments (R-NAT-3), likewise
    | frozenset({"subjects.view_publishedpenalty"})  # the published administrative penalties (SAMR-45), likewise
    | frozenset({"subjects.view_subjectnotification"})  # what subjects were told by mail, when (issue 22)
    | frozenset({"portal.view_agentauthorisation"})  # the agents organisations authorised in the portal (issue 22)
    | frozenset({"exchange.view_recordimporterror"})  # the rows a batch import refused (issue 23), to help a unit
    # the API's replay protection and idempotency receipts (issue 23), to find what a client sent twice
    | frozenset({"api.view_apinonce", "api.view_apiidempotencykey", "api.view_apicredential"})
    # the change feed to the national platform (issue 23): its entries, states, pruning marks and files
    | frozenset({"feed.view_feedentry", "feed.view_feedstate", "feed.view_feedmark", "feed.view_feedfile"})
    | _perms(ACCOUNT_MODELS, "view"),
    SystemRole.SECURITY_ADMIN: _perms(ACCOUNT_MODELS, "view", "add", "change")
    | _perms(("creditportal.department",), "view")
    | _perms(AXES_MODELS, "view")  # login records are read, never cleared (issue 21)
    # a case user's second factor reset, asked by one security administrator and confirmed by another (issue 21)
    | _perms(("creditportal.secondfactorreset",), "view", "add")
    # who was sent a portal sign-in code and when (issue 22): hashes only
    | _perms(("portal.signincode",), "view")
    # the API keys the security administrator issues and revokes (issue 23): their secrets are never shown
    | _perms(("api.apicredential",), "view"),
    SystemRole.AUDIT_ADMIN: _perms(
        ("creditportal.auditevent", "creditportal.ledgerentry", "creditportal.accessentry"), "view"
    )
    | _perms(ACCOUNT_MODELS, "view")
    | _perms(AXES_MODELS, "view")
    | _perms(("api.apicredential",), "view"),
}


def permissions_for(*, roles: set[str], system_role: str) -> frozenset[str]:
    """All model permissions of a person with these department roles and this system role."""
    perms: set[str] = set(SYSTEM_ROLE_PERMISSIONS.get(system_role, frozenset()))
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)
