from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Designations")

    def ready(self) -> None:
        # What the deadline sweep and the document renderer call for this app (registries, not signals).
        from django.utils.translation import gettext_lazy as _

        from creditportal import audit, deadlines, documents, panels, rules
        from creditportal.cases.registry import register_workflow
        from creditportal.profiles import current_profile as profile
        from subjects import endings

        from . import pdf, selectors, services, views, workflow

        register_workflow("designations.designation", workflow.DESIGNATION, context=lambda d: {"profile": profile()})

        # The designations panel on a subject's page: designations depend on subjects, never the reverse.
        panels.register(
            "subject_detail", panels.Panel("designations/panels/subject_designations.html", selectors.subject_panel)
        )
        # The subject page's header: whether it is listed, and the way to prepare a designation.
        panels.register(
            "subject_badges", panels.Panel("designations/panels/subject_badges.html", selectors.subject_badges_panel)
        )
        panels.register(
            "subject_actions", panels.Panel("designations/panels/subject_actions.html", selectors.subject_actions_panel)
        )
        # The designations section of "My work" (creditportal), which lists every kind of case.
        panels.register("my_work", panels.Panel("designations/queue.html", views.my_work_panel, order=10))

        audit.register_action_labels(
            {
                **{f"designations.designation.{name}": t.label for name, t in workflow.DESIGNATION.transitions.items()},
                "designations.designation.created": _("Designation drafted"),
                "designations.designation.changed": _("Designation edited"),
                "designations.designation.exported": _("Designations exported"),
                "designations.designation.statement_considered": _("Statement or defence considered"),
                "designations.file.downloaded": _("Case file downloaded"),
                "designations.designation.statement_recorded": _("Statement recorded"),
                "designations.designation.defence_recorded": _("Defence recorded"),
                "designations.designation.waiver_recorded": _("Waiver recorded"),
                "designations.designation.hearing_scheduled": _("Hearing scheduled"),
                "designations.designation.hearing_held": _("Hearing held"),
                "designations.designation.objection_received": _("Objection received"),
                "designations.designation.objection_decided": _("Objection decided"),
                "designations.designation.sent_for_reexamination": _("Sent to the province for re-examination"),
                "creditportal.document.notice.issued": _("Prior notice issued"),
                "creditportal.document.notice.served": _("Prior notice served"),
                "creditportal.document.decision.issued": _("Decision document issued"),
                "creditportal.document.decision.served": _("Decision document served"),
                "creditportal.document.report_to_authority.issued": _("Report to the authority issued"),
                "creditportal.document.report_to_authority.served": _("Report sent"),
            }
        )

        # What falls when a record falls (subjects.endings): the designations resting on it, by one rule.
        endings.on_record_end("designations", services.designations_fall_with_records)

        deadlines.register_expiry("designations.designation", "R-DES-1", services.statement_period_expired)
        deadlines.register_expiry("designations.designation", "R-DIS-1", services.listing_expired)
        # the statement period is the subject's time to state its case: it is reminded before it ends (issue 22)
        deadlines.register_subject_clock(
            "designations.designation", "R-DES-1", what=gettext_noop("the time to state your case or ask to be heard")
        )
        rules.register_preview(_listings_preview)
        documents.register_template(
            "designations.designation",
            "notice",
            "designations/pdf/notice.html",
            pdf.notice_context,
            requires=pdf.notice_requires,
        )
        documents.register_template(
            "designations.designation",
            "decision",
            "designations/pdf/decision.html",
            pdf.decision_context,
            requires=pdf.decision_requires,
        )
        documents.register_template(
            "designations.designation",
            "report_to_authority",
            "designations/pdf/report.html",
            pdf.report_context,
            requires=pdf.report_requires,
            to_subject=False,  # to the authority above, the unit, the discipline and personnel organs (R-DES-9)
        )
        documents.register_template(
            "designations.designation",
            "restoration_info",
            "designations/pdf/restoration_info.html",
            pdf.restoration_info_context,
            requires=pdf.restoration_info_requires,
        )
        documents.register_template(
            "designations.designation",
            "removal_notice",
            "designations/pdf/removal_notice.html",
            pdf.removal_notice_context,
            requires=pdf.removal_notice_requires,
        )


def _listings_preview(candidate):
    """R-NAT-6: the listings whose end a draft rule set would bring forward."""
    from django.utils.translation import gettext

    from .periods import listings_changed_by

    for designation, old, new in listings_changed_by(candidate):
        label = f"{designation.subject.name} · {designation.decision_number or designation.pk}"
        yield gettext("Listing"), designation.pk, label, old, new
