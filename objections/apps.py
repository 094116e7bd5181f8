from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = _("Objections")

    def ready(self):
        # What the deadline sweep, the document renderer and the timeline call for this app (registries).
        from creditportal import audit, deadlines, documents, panels, rules
        from creditportal.cases.registry import register_workflow
        from designations.choices import RemovalReason
        from designations.holds import register_cause, register_hold

        from . import pdf, services, views, workflow

        register_workflow("objections.objection", workflow.OBJECTION, context=services.guard_context)
        rules.register_preview(_objections_preview)
        # R-DES-2: a designation does not move on while an objection to it is open.
        register_hold("objections", services.designation_held_by_objection)
        for reason in (RemovalReason.OBJECTION_ADOPTED, RemovalReason.BASIS_CORRECTED):
            register_cause(reason, services.sustained_objection_exists)

        # The objections panel on a designation's case page: objections depend on designations, never the reverse.
        panels.register(
            "designation_detail", panels.Panel("objections/panels/designation_objections.html", views.designation_panel)
        )
        # The objections of a record and a subject, with the button to receive one (R-OBJ-1).
        panels.register("record_detail", panels.Panel("objections/panels/target_objections.html", views.record_panel))
        panels.register("subject_detail", panels.Panel("objections/panels/target_objections.html", views.subject_panel))
        # The objections section of "My work" (creditportal): to answer, to help verify, extensions to approve.
        panels.register("my_work", panels.Panel("objections/panels/my_work.html", views.my_work_panel, order=20))

        # An objection keeps a copy of its answer deadline's due date (lists, filters): recomputed with it.
        deadlines.register_due_date_copy("objections.objection", "due_date", rules=services.ANSWER_RULES)
        # R-OBJ-5 (HB 29): the providing unit did not report in time: disclosure and inquiry are suspended.
        deadlines.register_expiry("objections.objection", "R-OBJ-5", services.provider_report_overdue)
        documents.register_template(
            "objections.objection",
            "response_letter",
            "objections/pdf/response_letter.html",
            pdf.response_letter_context,
            requires=pdf.response_letter_requires,
        )
        audit.register_action_labels(
            {
                **{f"objections.objection.{name}": t.label for name, t in workflow.OBJECTION.transitions.items()},
                "objections.objection.received": _("Objection received"),
                "objections.objection.routed": _("Complaint routed to the credit authority"),
                "objections.objection.exported": _("Objections exported"),
                "objections.file.downloaded": _("Objection documents downloaded"),
                "objections.objection.designations_fell": _("Designations resting on the record withdrawn or removed"),
                "creditportal.document.response_letter.issued": _("Response letter issued"),
                "creditportal.document.response_letter.served": _("Response letter served"),
                "subjects.record.corrected": _("Record corrected"),
                "subjects.record.withdraw": _("Record deleted (withdrawn)"),
                "subjects.record.suspend": _("Disclosure and inquiry suspended"),
                "subjects.record.resume": _("Disclosure and inquiry resumed"),
            }
        )


def _objections_preview(candidate):
    """R-NAT-6: the open objections whose answer deadline a draft rule set of the province would move."""
    from django.utils.translation import gettext

    from .services import objections_changed_by

    for objection, old, new in objections_changed_by(candidate):
        yield gettext("Objection"), objection.pk, f"#{objection.pk} · {objection.subject.name}", old, new
