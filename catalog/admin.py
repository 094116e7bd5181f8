"""The catalog in the admin is read-only: drafting, approval and publication go through the catalog pages,
whose services keep the four-eyes rule and the comment period (R-CAT-1, R-CAT-6, R-CAT-7)."""

from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import (
    CatalogItem,
    CatalogVersion,
    DesignationStandard,
    ImportJob,
    MeasureList,
    PunishmentMeasure,
    RewardMeasure,
)


@admin.register(CatalogVersion)
class CatalogVersionAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "number", "title", "status", "approved_by", "published_at"]
    list_filter = ["jurisdiction", "status"]


@admin.register(CatalogItem)
class CatalogItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "version", "category", "character", "disclosure_mode", "display_max_months"]
    list_filter = ["version", "category", "character", "personal_information"]
    search_fields = ["code", "name"]


@admin.register(MeasureList)
class MeasureListAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "kind", "scope", "number", "status"]
    list_filter = ["kind", "scope", "status"]


@admin.register(PunishmentMeasure)
class PunishmentMeasureAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "measure_list", "max_duration_months"]
    search_fields = ["code", "text"]


@admin.register(RewardMeasure)
class RewardMeasureAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "measure_list"]


@admin.register(DesignationStandard)
class DesignationStandardAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "serious_category", "status", "comment_starts_on", "comment_ends_on"]
    list_filter = ["status", "serious_category"]
    filter_horizontal = ["allowed_measures"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Background imports, for the operator looking for stuck work (a job still queued or running)."""

    list_display = [
        "pk",
        "kind",
        "status",
        "rows_done",
        "rows_total",
        "dry_run",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "dry_run"]
