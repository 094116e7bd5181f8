"""Template context shared by every page."""

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import Jurisdiction

#: The main navigation: (section, URL name, label, the model a person must be able to read there, or None for a
#: page everyone signed in may open). A page's section is the first word of its URL name.
NAV_ITEMS = (
    ("dashboard", "dashboard", _("Dashboard"), None),
    ("subject", "subject_list", _("Subjects"), "subjects.CreditSubject"),
    ("record", "record_list", _("Credit records"), "subjects.CreditRecord"),
    ("designation", "designation_list", _("Designations"), "designations.Designation"),
    ("objection", "objection_list", _("Objections"), "objections.Objection"),
    ("restoration", "restoration_list", _("Restoration"), "restoration.RestorationApplication"),
    ("catalog", "catalog_public", _("Catalog"), None),
    ("deadline", "deadline_list", _("Deadlines"), "creditportal.Deadline"),
)


def nav_items(user) -> list[tuple]:
    """The navigation a person may follow: no link to a page that answers 403 (issue 16; the system, security and
    audit administrators do no case work and see none of its lists). A role in a department decides; a case shared
    with someone outside it is reached from the link they were given. No query beyond the user's memberships."""
    from .permissions import department_ids_for, perm_name

    if not user.is_authenticated:
        return []
    return [
        (section, url_name, label)
        for section, url_name, label, model in NAV_ITEMS
        if model is None or department_ids_for(user, perm_name(apps.get_model(model), "view"))
    ]


#: URL-name prefixes that belong to another section of the navigation.
SECTION_ALIASES = {"measure": "catalog", "standard": "catalog"}


def portal(request) -> dict:
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match else ""
    return {
        "CREDIT_JURISDICTION": settings.CREDIT_JURISDICTION,
        "JURISDICTION_LABEL": Jurisdiction(settings.CREDIT_JURISDICTION).label,
        "NAV_ITEMS": nav_items(request.user) if hasattr(request, "user") else [],
        "nav_section": SECTION_ALIASES.get(url_name.split("_", 1)[0], url_name.split("_", 1)[0]),
        # who signs in with a second factor has a page for his security keys (issue 21)
        "signs_in_with_second_factor": _second_factor(request),
    }


def _second_factor(request) -> bool:
    from .second_factor import needs_second_factor

    return needs_second_factor(getattr(request, "user", None))
