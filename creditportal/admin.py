"""Admin of the cross-cutting models."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_base import AuditedModelAdmin, ReadOnlyAdmin, ReasonForm
from .models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    Department,
    DocumentSequence,
    IssuedDocument,
    JurisdictionProfile,
    Membership,
    ServiceRecord,
    User,
)
from .deadlines import deadlines_recompute_provisional
from .workdays import forget_calendar


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "name_en", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "name_en"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["department", "role", "is_active"]


@admin.register(User)
class PortalUserAdmin(UserAdmin, AuditedModelAdmin):
    """Accounts are the security administrator's: they set roles and memberships."""

    form = type("UserChangeReasonForm", (UserAdmin.form, ReasonForm), {})
    add_form = type("UserCreationReasonForm", (UserAdmin.add_form, ReasonForm), {})
    # Rights come from roles only (creditportal.roles): no superuser flag, groups or per-user permissions here,
    # so no administrator can give anyone (or themselves) rights outside the declared roles (R-SEC-6).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
        (_("Roles"), {"fields": ("system_role", "change_reason")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("Roles"), {"fields": ("system_role", "change_reason")}))
    list_display = ["username", "first_name", "last_name", "system_role", "is_active", "is_staff"]
    list_filter = ["system_role", "is_active", "is_staff"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "department", "role", "is_active"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["user__username", "department__name"]


@admin.register(JurisdictionProfile)
class JurisdictionProfileAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "objection_answer_days", "objection_answer_unit", "disclosure_max_months"]


class CalendarAdminMixin:
    """After an edit the working-day arithmetic must see it at once (its cache is dropped)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_calendar()
        count = deadlines_recompute_provisional(actor=request.user, reason=str(_("Calendar changed in the admin")))
        if count:
            self.message_user(request, _("%(n)d provisional deadlines recomputed on the new calendar.") % {"n": count})


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdminMixin, AuditedModelAdmin):
    """A year is "loaded" once the State Council's schedule for it has been entered as calendar days."""

    list_display = ["year", "source", "loaded_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdminMixin, AuditedModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ReadOnlyAdmin):
    list_display = ["department", "kind", "year", "last_number"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "department", "issued_at", "sha256"]
    list_filter = ["kind"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["document", "method", "served_on", "recipient"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["rule_id", "anchor_date", "days", "unit", "due_date", "status", "provisional"]
    list_filter = ["rule_id", "status"]


@admin.register(DeadlinePause)
class DeadlinePauseAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "reason", "paused_from", "paused_until"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "days", "approved_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit administrator's view of every act: read-only, never deleted."""

    list_display = ["at", "actor", "action", "department", "content_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "actor__username", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
