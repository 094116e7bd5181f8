from django.contrib import admin

from creditportal.admin_base import AppendOnlyAdmin, ReadOnlyAdmin

from .models import Designation, DesignationMeasure, Hearing, Publication, Statement


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "standard", "state", "decision_number", "department"]
    list_filter = ["state", "department"]
    raw_id_fields = ["subject", "records"]


@admin.register(DesignationMeasure)
class DesignationMeasureAdmin(ReadOnlyAdmin):
    list_display = ["designation", "measure", "status", "starts_on", "ends_on"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["designation", "kind", "received_on"]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ["designation", "scheduled_at", "place", "held_at"]


@admin.register(Publication)
class PublicationAdmin(AppendOnlyAdmin):
    """The publication ledger (issue 22): each entry's time on the public list and why it left; written by the
    designation's acts only."""

    list_display = ["subject_name", "identifier", "department_name", "published_at", "withdrawn_at", "withdrawal_cause"]
    list_filter = ["withdrawal_cause", "department"]
    search_fields = ["subject_name", "identifier", "decision_number"]
