"""Template context shared by every page."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import Jurisdiction

#: The main navigation: (section, URL name, label). A page's section is the first word of its URL name.
NAV_ITEMS = (
    ("dashboard", "dashboard", _("Dashboard")),
    ("subject", "subject_list", _("Subjects")),
    ("record", "record_list", _("Credit records")),
    ("designation", "designation_list", _("Designations")),
    ("objection", "objection_list", _("Objections")),
    ("restoration", "restoration_list", _("Restoration")),
    ("catalog", "catalog_public", _("Catalog")),
)


#: URL-name prefixes that belong to another section of the navigation.
SECTION_ALIASES = {"measure": "catalog", "standard": "catalog"}


def portal(request) -> dict:
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match else ""
    return {
        "CREDIT_JURISDICTION": settings.CREDIT_JURISDICTION,
        "JURISDICTION_LABEL": Jurisdiction(settings.CREDIT_JURISDICTION).label,
        "NAV_ITEMS": NAV_ITEMS,
        "nav_section": SECTION_ALIASES.get(url_name.split("_", 1)[0], url_name.split("_", 1)[0]),
    }
