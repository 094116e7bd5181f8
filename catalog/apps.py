from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        # What a catalog version's, measure list's and standard's timeline shows (creditportal.audit).
        from creditportal import audit
        from creditportal.cases.registry import register_workflow

        from .workflow import IMPORT_JOB, PUBLISHED_LIST, STANDARD

        for label in ("catalog.catalogversion", "catalog.measurelist"):
            register_workflow(label, PUBLISHED_LIST)
        register_workflow("catalog.designationstandard", STANDARD)
        register_workflow("catalog.importjob", IMPORT_JOB)

        acts = {
            "submitted": _("Sent for approval"),
            "returned": _("Returned with comments"),
            "approved": _("Approved"),
            "published": _("Published"),
            "superseded": _("Superseded by a newer version"),
            "discarded": _("Draft discarded"),
        }
        audit.register_action_labels(
            {
                **{f"catalog.{kind}.{act}": label for kind in ("version", "measures") for act, label in acts.items()},
                **{f"catalog.standard.{t.target}": t.label for t in STANDARD.transitions.values() if t.target},
                "catalog.version.created": _("Catalog draft created"),
                "catalog.item.saved": _("Catalog item saved"),
                "catalog.items.imported": _("Catalog items imported"),
                "catalog.measures.created": _("Measure list created"),
                "catalog.measure.saved": _("Measure saved"),
                "catalog.standard.saved": _("Designation standard saved"),
            }
        )
