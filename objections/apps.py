from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = _("Objections")

    def ready(self):
        from creditportal import deadlines, panels

        from . import views

        # The objections panel on a designation's case page: objections depend on designations, never the reverse.
        panels.register(
            "designation_detail", panels.Panel("objections/panels/designation_objections.html", views.designation_panel)
        )

        # An objection keeps a copy of its answer deadline's due date (lists, filters): recomputed with it.
        deadlines.register_due_date_copy("objections.objection", "due_date")
