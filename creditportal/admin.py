"""Admin of the cross-cutting models."""

import re
from typing import TYPE_CHECKING, Any, cast

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import accounts, rules
from .admin_base import AppendOnlyAdmin, AuditedModelAdmin, ReadOnlyAdmin, ReasonForm, refusal_messages, with_actor
from .audit import action_label
from .choices import DayCount
from .deadlines import deadlines_recompute_provisional
from .models import (
    AccessEntry,
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
    LedgerEntry,
    Membership,
    RuleSet,
    SecondFactorReset,
    ServiceRecord,
    SubmitToken,
    User,
)
from .models.rules import RuleSetStatus
from .profiles import forget_profiles
from .workdays import forget_calendar

if TYPE_CHECKING:  # the mixins below are combined with a model form and a model admin
    _FormBase = forms.ModelForm
    _AdminBase = AuditedModelAdmin
else:
    _FormBase = _AdminBase = object


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "name_en", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "name_en"]


class MembershipInlineFormSet(BaseInlineFormSet):
    """The user page's memberships obey the account rule (``creditportal.accounts``, R-SEC-6), checked against
    the system role the same POST gives the user."""

    actor = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or not getattr(form, "cleaned_data", None):
                continue
            try:
                accounts.membership_check(
                    user=self.instance, actor=self.actor, is_active=form.cleaned_data.get("is_active", False)
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, refusal_messages(error))


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["department", "role", "is_active"]
    formset = MembershipInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        return with_actor(super().get_formset(request, obj, **kwargs), request)


class AccountFormMixin(_FormBase):
    """Shows the account rules' refusals on the form: an administrator's account is not changed here at all, and a
    system role is given by no one here (R-SEC-6; issue 21). The services enforce both again on save."""

    actor = None

    def clean(self):
        cleaned = super().clean() or {}
        stored = User.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        try:
            accounts.account_check(user=stored, actor=self.actor)
        except (ValidationError, PermissionDenied) as error:
            self.add_error(None, refusal_messages(error))
            return cleaned
        if "system_role" in cleaned:
            try:
                accounts.system_role_check(
                    user=stored,
                    old_role=stored.system_role if stored else "",
                    new_role=cleaned["system_role"],
                    actor=self.actor,
                )
            except (ValidationError, PermissionDenied) as error:
                self.add_error("system_role", refusal_messages(error))
        return cleaned


class PasswordResetForm(AdminPasswordChangeForm):
    """The admin's password form with the reason the reset is recorded with (issue 21)."""

    change_reason = forms.CharField(
        label=_("Reason for this change"), max_length=500, help_text=_("Kept in the history with your name.")
    )


@admin.register(User)
class PortalUserAdmin(UserAdmin, AuditedModelAdmin):
    """Accounts are the security administrator's: case users' accounts, roles and memberships, through
    ``creditportal.accounts`` (R-SEC-6; issue 21). An administrator's account is shown read-only: no administrator
    edits, deactivates, demotes or sets the password of one, his own included; the operator does, at the console."""

    form = cast(
        "type[ReasonForm]",
        type("UserChangeReasonForm", (AccountFormMixin, cast(Any, UserAdmin).form, ReasonForm), {}),
    )
    add_form = type("UserCreationReasonForm", (AccountFormMixin, cast(Any, UserAdmin).add_form, ReasonForm), {})
    change_password_form = PasswordResetForm
    change_user_password_template = "admin/creditportal/user/change_password.html"  # noqa: S105  # a template name
    # Rights come from roles only (creditportal.roles): no superuser flag, groups or per-user permissions here,
    # so no administrator can give anyone (or themselves) rights outside the declared roles (R-SEC-6).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "must_change_password", "last_login", "date_joined")}),
        (_("Roles"), {"fields": ("system_role", "change_reason")}),
    )
    readonly_fields = ["must_change_password", "last_login", "date_joined"]
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("Roles"), {"fields": ("system_role", "change_reason")}))
    list_display = ["username", "first_name", "last_name", "system_role", "is_active", "is_staff"]
    list_filter = ["system_role", "is_active", "is_staff"]
    inlines = [MembershipInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_readonly_fields(self, request, obj=None):
        """An administrator's account reads, and is not edited (its password field only links to a refusal)."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and accounts.is_administrator(obj):
            fields += [name for name in flatten_fieldsets(self.fieldsets) if name not in ("password", "change_reason")]
        return list(dict.fromkeys(fields))

    def get_inlines(self, request, obj):
        return [] if obj is not None and accounts.is_administrator(obj) else super().get_inlines(request, obj)

    def _refusal(self, request, user) -> list[str]:
        """Why ``request.user`` may not change ``user``'s account (empty: he may)."""
        try:
            accounts.account_check(user=user, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            return refusal_messages(error)
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if request.method == "GET" and user is not None and self.has_change_permission(request, user):
            for message in self._refusal(request, user) if accounts.is_administrator(user) else []:
                self.message_user(request, message, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        """The security administrator sets a case user's password, who must change it at the next login; an
        administrator's password is refused (R-SEC-6; issue 21)."""
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)
        change_page = reverse("admin:creditportal_user_change", args=[user.pk])
        refusal = self._refusal(request, user)
        if refusal:
            for message in refusal:
                self.message_user(request, message, level=messages.ERROR)
            return HttpResponseRedirect(change_page)
        if request.method == "POST":
            form = self.change_password_form(user, request.POST)
            usable = form.is_valid() and form.cleaned_data["set_usable_password"]
            if form.is_valid() and (usable or "unset-password" in request.POST):
                accounts.user_password_reset(
                    user=user,
                    raw_password=form.cleaned_data["password1"] if usable else None,
                    actor=request.user,
                    reason=form.cleaned_data["change_reason"],
                )
                self.log_change(request, user, self.construct_change_message(request, form, []))
                if usable:
                    self.message_user(
                        request, _("Password set: %(user)s must change it at the next login.") % {"user": user}
                    )
                else:
                    self.message_user(request, _("Password-based authentication was disabled."))
                return HttpResponseRedirect(change_page)
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        """The account is saved as typed except its system role, which only ``user_set_system_role`` changes."""
        new_role = obj.system_role
        reason = form.cleaned_data.get("change_reason", "")
        accounts.user_save(user=obj, actor=request.user, reason=reason, changed=form.changed_data)
        if new_role != obj.system_role:
            accounts.user_set_system_role(user=obj, system_role=new_role, actor=request.user, reason=reason)
            obj.refresh_from_db(fields=["system_role"])

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            accounts.membership_save(
                membership=membership, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
            )
        return None


class MembershipForm(ReasonForm):
    actor = None

    def clean(self):
        cleaned = super().clean() or {}
        user = cleaned.get("user")
        if user is not None:
            try:
                accounts.membership_check(user=user, actor=self.actor, is_active=cleaned.get("is_active", False))
            except (ValidationError, PermissionDenied) as error:
                self.add_error(None, refusal_messages(error))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    form = MembershipForm
    list_display = ["user", "department", "role", "is_active"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["user__username", "department__name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        accounts.membership_save(membership=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", ""))


def _yes_no(value, name: str = "") -> str:
    """A rule value as it reads: yes or no, a choice by its label (the unit of a deadline), a number as it is."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if name == "objection_answer_unit":
        return str(dict(DayCount.choices).get(value, value))
    return str(value)


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    """R-NAT-6: a rule set is drafted here by one system administrator and published by another (the "publish"
    action); a published set is read-only. "Preview" downloads every date the set would change (CSV)."""

    list_display = ["title", "layer", "jurisdiction", "effective_from", "status", "drafted_by", "published_by"]
    list_filter = ["layer", "status"]
    fields = ["layer", "jurisdiction", "title", "effective_from", "values", "sources", "prevails", "values_read"]
    readonly_fields = ["values_read"]
    actions = ["publish", "preview"]

    @admin.display(description=_("The values as they read"))
    def values_read(self, obj) -> str:
        """Each value by its name in words, with its source (the JSON above holds the names the product reads)."""
        from django.utils.html import format_html, format_html_join

        from .models.rules import RuleLayer, rule_label, values_of

        if obj is None or not obj.values:
            tables = (
                (
                    label,
                    format_html_join(
                        "", "<li><code>{}</code>: {}</li>", ((n, rule_label(n)) for n in values_of(layer))
                    ),
                )
                for layer, label in RuleLayer.choices
            )
            return format_html_join("", "<p>{}</p><ul>{}</ul>", tables)
        rows = (
            (rule_label(name), _yes_no(value, name), (obj.sources or {}).get(name, "—"))
            for name, value in obj.values.items()
        )
        return format_html(
            "<table><tbody>{}</tbody></table>", format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status == RuleSetStatus.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        """A published set is read in words only (its JSON, with the names the product reads, is for drafting)."""
        fields = super().get_fields(request, obj)
        if obj is not None and obj.status == RuleSetStatus.PUBLISHED:
            return [name for name in fields if name not in ("values", "sources")]
        return fields

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        reason = form.cleaned_data.get("change_reason", "")
        try:
            saved = rules.ruleset_save(actor=request.user, reason=reason, ruleset=obj if change else None, **data)
        except (ValidationError, PermissionDenied) as error:
            for message in refusal_messages(error):
                self.message_user(request, message, level="error")
            return
        obj.pk = saved.pk

    @admin.action(description=_("Publish (a second system administrator)"), permissions=["change"])
    def publish(self, request, queryset):
        for ruleset in queryset:
            try:
                rules.ruleset_publish(ruleset=ruleset, actor=request.user, reason=str(_("Published in the admin")))
            except (ValidationError, PermissionDenied) as error:
                for message in refusal_messages(error):
                    self.message_user(request, f"{ruleset}: {message}", level="error")
            else:
                self.message_user(request, _("%(set)s published.") % {"set": ruleset})

    @admin.action(description=_("Preview the dates it would change (CSV)"), permissions=["view"])
    def preview(self, request, queryset):
        import csv

        from django.http import HttpResponse

        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="rule-set-preview.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Rule set"), _("Kind"), _("ID"), _("What"), _("Old date"), _("New date")])
        for ruleset in queryset:
            for kind, pk, label, old, new in rules.ruleset_preview(ruleset):
                writer.writerow([str(ruleset), kind, pk, label, old or "", new or ""])
        return response


@admin.register(JurisdictionProfile)
class JurisdictionProfileAdmin(AuditedModelAdmin):
    """The profile's first values. A statutory number left unset is filled in here (with its source); once set, it
    changes only by a rule set of the province from its own date (R-NAT-6), so it is read-only here: an edit would
    otherwise change how every open case is judged, acts already done included."""

    list_display = ["code", "name", "objection_answer_days", "objection_answer_unit", "disclosure_max_months"]

    def get_readonly_fields(self, request, obj=None):
        from .models.profiles import PROVINCE_RULE_FIELDS

        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in PROVINCE_RULE_FIELDS if getattr(obj, name) not in (None, "")]
            fields.append("amended_today")
        return fields

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and "amended_today" not in fields:
            fields.insert(0, "amended_today")
        return fields

    @admin.display(description=_("Amended by the province's rule sets (in force today)"))
    def amended_today(self, obj) -> str:
        """The values a published rule set of the province has changed, as they apply today, and the set (the fields
        below keep the profile's first values)."""
        from django.utils import timezone
        from django.utils.html import format_html, format_html_join

        from .models.rules import rule_label
        from .profiles import profile_on

        in_force = profile_on(timezone.localdate(), profile=obj)
        if in_force is None or not in_force.amended_by:
            return str(_("None: the values below apply."))
        rows = (
            (rule_label(name), _yes_no(getattr(in_force, name), name), str(ruleset))
            for name, ruleset in in_force.amended_by.items()
        )
        return format_html(
            "<table><tbody>{}</tbody></table>", format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_profiles()  # the next act reads the new values


class CalendarAdminMixin(_AdminBase):
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

    list_display = ["year", "source_shown", "loaded_at"]

    @admin.display(description=_("source"), ordering="source")
    def source_shown(self, obj) -> str:
        """The source migration 0003 stores in English ("chinesecalendar 1.10.0 (State Council holiday notices)"),
        shown in the user's language; a source typed by an operator is shown as typed."""
        match = re.fullmatch(r"chinesecalendar (\S+) \(State Council holiday notices\)", obj.source)
        if not match:
            return obj.source
        return translation.gettext("chinesecalendar %(version)s (State Council holiday notices)") % {
            "version": match.group(1)
        }


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdminMixin, AuditedModelAdmin):
    list_display = ["date", "kind", "holiday"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    @admin.display(description=_("holiday"), ordering="name")
    def holiday(self, obj) -> str:
        """The stored name is chinesecalendar's English one (a message id): shown in the user's language."""
        return translation.gettext(obj.name) if obj.name else ""


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


@admin.register(SubmitToken)
class SubmitTokenAdmin(AppendOnlyAdmin):
    """Which form submission created what (``creditportal.idempotency``), for support: read-only, kept."""

    list_display = ["created_at", "user", "path", "result_url"]
    search_fields = ["token", "user__username", "path"]
    date_hierarchy = "created_at"


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
class AuditEventAdmin(AppendOnlyAdmin):
    """The audit administrator's view of every act: read-only, never deleted."""

    list_display = ["at", "actor", "action", "act", "department", "content_type", "object"]
    list_filter = ["action"]
    search_fields = ["action", "actor__username", "object_id"]
    date_hierarchy = "at"

    @admin.display(description=_("act"))
    def act(self, obj) -> str:
        return action_label(obj.action)

    @admin.display(description=_("object"), ordering="object_id")
    def object(self, obj) -> str:
        return obj.object_id


class SecondFactorResetForm(forms.ModelForm):
    """Which case user's second factor, and why; refused here, with the reason, when it cannot be asked for."""

    class Meta:
        model = SecondFactorReset
        fields = ["user", "reason"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(
            system_role="", is_active=True, totpdevice__confirmed=True
        ).distinct()

    def clean(self):
        cleaned = super().clean() or {}
        user = cleaned.get("user")
        if user is not None:
            try:
                accounts.second_factor_reset_check(user=user, actor=self.actor, asking=True)
            except (ValidationError, PermissionDenied) as error:
                raise ValidationError(refusal_messages(error)) from None
        return cleaned


@admin.register(SecondFactorReset)
class SecondFactorResetAdmin(admin.ModelAdmin):
    """A case user's second factor reset, four-eyed (issue 21): one security administrator asks here with the reason;
    another selects the request and confirms it ("Confirm"); ``creditportal.accounts``. Read-only otherwise."""

    form = SecondFactorResetForm
    list_display = [
        "user",
        "reason",
        "requested_by",
        "requested_at",
        "confirmed_by",
        "confirmed_at",
        "withdrawn_by",
        "withdrawn_at",
    ]
    list_filter = ["confirmed_at", "withdrawn_at"]
    actions = ["confirm", "withdraw"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"__init__": _with_actor_init(form, request.user)})

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        saved = accounts.second_factor_reset_request(
            user=form.cleaned_data["user"], actor=request.user, reason=form.cleaned_data["reason"]
        )
        obj.pk = saved.pk

    @admin.action(description=_("Confirm the reset (a second security administrator)"), permissions=["add"])
    def confirm(self, request, queryset):
        for reset in queryset.select_related("user"):
            try:
                accounts.second_factor_reset_confirm(reset=reset, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                for message in refusal_messages(error):
                    self.message_user(request, f"{reset.user}: {message}", level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(user)s's second factor was reset: the next sign-in sets up a new one.") % {"user": reset.user},
                )

    @admin.action(description=_("Withdraw the request"), permissions=["add"])
    def withdraw(self, request, queryset):
        for reset in queryset.select_related("user"):
            try:
                accounts.second_factor_reset_withdraw(reset=reset, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                for message in refusal_messages(error):
                    self.message_user(request, f"{reset.user}: {message}", level=messages.ERROR)
            else:
                self.message_user(request, _("The request for %(user)s was withdrawn.") % {"user": reset.user})


def _with_actor_init(form_class, actor):
    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, actor=actor, **kwargs)

    return __init__


@admin.register(AccessEntry)
class AccessEntryAdmin(AppendOnlyAdmin):
    """The access log across departments, for the audit administrator (R-SEC-3): who looked at which subject, how
    and why. A department's auditors read their own through the portal's scoped page."""

    list_display = ["at", "user", "role", "department", "subject_id", "kind", "shown_label", "purpose", "address"]
    list_filter = ["kind", "purpose"]
    search_fields = ["user__username", "=subject_id", "request_id"]
    date_hierarchy = "at"
    show_full_result_count = False  # millions of entries: no COUNT(*) on every page

    @admin.display(description=_("role"))
    def role(self, obj) -> str:
        return obj.role_labels

    @admin.display(description=_("What was shown"))
    def shown_label(self, obj) -> str:
        return obj.shown_label


@admin.register(LedgerEntry)
class LedgerEntryAdmin(AppendOnlyAdmin):
    """The audit ledger (``creditportal.ledger``), for the audit administrator: each entry's place in the chain,
    the row it copies and its hashes; ``manage.py audit_verify`` checks them."""

    list_display = ["seq", "recorded_at", "copied_from", "source_id", "short_hash", "sealed_at"]
    search_fields = ["source_id", "hash"]
    ordering = ["-id"]
    show_full_result_count = False  # millions of entries: no COUNT(*) on every page

    @admin.display(description=_("table"), ordering="source")
    def copied_from(self, obj) -> str:
        """The kind of row copied, by its name in the user's language (never the raw table name)."""
        from django.apps import apps

        tables = {model._meta.db_table: model._meta.verbose_name for model in apps.get_models()}
        return str(tables.get(obj.source, obj.source))

    @admin.display(description=_("hash"))
    def short_hash(self, obj) -> str:
        return (obj.hash or "")[:16]


class LoginRecordAdminMixin:
    """Login records (django-axes) are read, never edited, deleted or cleared from the admin, by anyone: the
    security administrator must not remove his own failed logins (R-SEC-6; issue 21). A lockout ends by itself
    (``AXES_COOLOFF_TIME``) or at the console (``manage.py axes_reset_username``)."""

    actions: list = []

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AccessAttemptAdmin(LoginRecordAdminMixin, axes_admin.AccessAttemptAdmin):
    """Failed logins and lockouts, read-only."""


class AccessLogAdmin(LoginRecordAdminMixin, axes_admin.AccessLogAdmin):
    """Logins and logouts, read-only."""


class AccessFailureLogAdmin(LoginRecordAdminMixin, axes_admin.AccessFailureLogAdmin):
    """Failed logins, read-only."""


# django-axes registers its own admins (which let the viewer delete and clear records): ours replace them.
for _model, _model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
