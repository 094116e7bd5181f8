from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = _("Objections")

    def ready(self):
        from creditportal import deadlines

        # An objection keeps a copy of its answer deadline's due date (lists, filters): recomputed with it.
        deadlines.register_due_date_copy("objections.objection", "due_date")
