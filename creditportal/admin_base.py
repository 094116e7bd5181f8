"""The admin base every model's admin uses: history, a required reason, an audit event, and no deletion (R-SEC-4,
R-SEC-6; issue 21)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from .audit import record_event, register_action_labels

register_action_labels(
    {
        "creditportal.admin.added": _("Added in the administration"),
        "creditportal.admin.changed": _("Changed in the administration"),
    }
)

#: Texts of Django's admin that its Chinese catalogue lacks (the app list's hidden column headers, the search
#: icon's alt in templates/admin/search_form.html): named here so our catalogue keeps their translations.
DJANGO_ADMIN_TEXTS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Search"),
)


def with_actor(form_class, request):
    """``form_class`` knowing who is acting (``form.actor``), for checks that depend on it (R-SEC-6)."""
    return type(form_class.__name__, (form_class,), {"actor": request.user})


def refusal_messages(error) -> list[str]:
    """The readable messages of a service's ValidationError or PermissionDenied, citing the deployment's articles
    (never an internal rule id: ``creditportal.citations.for_people``)."""
    from .citations import for_people

    messages = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
    return [for_people(message) for message in messages]


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        help_text=_("Kept in the history with your name."),
    )


class AuditedModelAdmin(SimpleHistoryAdmin):
    """Every change states its reason and is an audit event with it (R-SEC-6; issue 21: departments, profiles,
    calendars); nothing is hard-deleted from the admin. An admin that saves through a service (accounts,
    memberships, rule sets) overrides ``save_model``, and the service writes the event."""

    form = ReasonForm

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "change_reason" in fields:
            fields.remove("change_reason")
        if self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request)):
            fields.append("change_reason")
        return fields

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        obj._change_reason = reason
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        record_event(
            action="creditportal.admin.changed" if change else "creditportal.admin.added",
            actor=request.user,
            target=obj,
            reason=reason,
            data={
                "model": obj._meta.label_lower,
                "fields": sorted(name for name in form.changed_data if name != "change_reason"),
            },
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an old version is a change: only for who may change the row (simple-history lets anyone
        who may read the history post it, R-SEC-6)."""
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(AuditedModelAdmin):
    """Case data in the admin: readable by the system administrator, changed only through the application."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AppendOnlyAdmin(admin.ModelAdmin):
    """Rows only the application writes and nobody changes or deletes (the audit log, submission receipts)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PortalAdminSite(admin.AdminSite):
    """The admin is for the three system roles only; case workers use the application."""

    site_header = _("creditportal administration")
    site_title = _("creditportal administration")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or bool(user.system_role))

    def password_change(self, request, extra_context=None):
        """Everyone changes his own password on the one page that records it (issue 21), administrators too."""
        return redirect("password_change")
