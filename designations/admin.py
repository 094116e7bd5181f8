from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import Designation, DesignationMeasure, Hearing, Statement


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
