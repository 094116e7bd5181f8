"""Base views: login, logout, dashboard, "My work", issued documents, the deadlines page."""

import base64
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from . import accounts, documents, second_factor
from .access import (
    PurposeForm,
    SubjectAccessMixin,
    declare_purpose,
    page_name,
    purpose_page,
    record_listed_in,
    session_mark,
    target_of,
)
from .audit import record_event
from .choices import AccessKind
from .db_router import ReplicaReadMixin
from .downloads import file_response
from .forms import DocumentRecipientForm, DocumentVerifyForm, MembershipDecisionForm, ServiceFormMixin
from .lists import page_number
from .models import Deadline, IssuedDocument, Membership
from .monitoring import deadlines_page, on_time_chart
from .panels import panels_for
from .permissions import ScopedViewMixin
from .selectors import (
    dashboard_counts,
    deadlines_due,
    document_verification,
    memberships_awaiting,
    user_memberships,
)


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    """Log out by POST (Django 5 refuses a GET logout, so a link cannot log anyone out)."""


#: The groups of clocks, overdue first: (key, title, badge style).
DUE_GROUPS = (
    ("overdue", gettext_lazy("Overdue"), "danger"),
    ("today", gettext_lazy("Due today"), "warning"),
    ("week", gettext_lazy("Due in the next 7 days"), "secondary"),
)


class DashboardView(LoginRequiredMixin, TemplateView):
    """What a user sees first: their departments and roles, what is due (overdue, today, this week), and the
    counts of each department's cases."""

    template_name = "creditportal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["memberships"] = user_memberships(user=user)
        context["department_counts"] = dashboard_counts(user=user)
        context["roles_awaiting"] = (
            memberships_awaiting(user=user).count() if user.has_perm("creditportal.confirm_membership") else 0
        )
        # R-SEC-3: the clocks name their cases' subjects: registered as listed
        due = record_listed_in(self.request, deadlines_due(user=user, today=timezone.localdate()), page="dashboard")
        context["due"] = [(key, title, style, due[key]) for key, title, style in DUE_GROUPS]
        context["anything_due"] = any(due.values())
        return context


class MyWorkView(ScopedViewMixin, TemplateView):
    """“My work” (issue 16): every clock of the user's departments that is overdue or due within 7 days, overdue
    first, each linking to its case (designations, objections and assistance requests, restorations, revocations
    and corrections: the ``Deadline`` rows name their case), and the cases waiting for one of the user's acts,
    in sections the workflow apps register (``panels.register("my_work", …)``: creditportal imports none of
    them). Every section is a bounded query or two, whatever the number of cases."""

    model = Deadline
    scope_action = "change"
    template_name = "creditportal/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        due = record_listed_in(
            self.request,
            deadlines_due(user=self.request.user, today=today, limit=50, provisional=True),
            page=page_name(self.request),
        )
        context.update(
            today=today,
            clocks=[(key, title, style, due[key]) for key, title, style in DUE_GROUPS],
            anything_due=any(due[key] for key, _title, _style in DUE_GROUPS),
            provisional=due["provisional"],
            sections=panels_for("my_work", request=self.request, obj=None),
        )
        return context


class DocumentDownloadView(SubjectAccessMixin, ScopedViewMixin, View):
    """An issued PDF, through the scope (another department's document is a 404); each download is logged, and the
    access log asks why and registers it (R-SEC-3)."""

    model = IssuedDocument
    access_kind = AccessKind.DOCUMENT
    access_fields = ("document",)

    @cached_property
    def document(self) -> IssuedDocument:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def access_target(self):
        return target_of(self.document.case, shown=[self.document])

    def get(self, request, pk: int):  # noqa: ARG002 -- the URL's; read through ``document``
        document = self.document
        if not document.file:
            raise Http404(_("The PDF is still being rendered; try again in a moment."))
        return super().get(request, pk)

    def deliver(self, request, *args, **kwargs):
        document = self.document
        record_event(
            action="creditportal.document.downloaded",
            actor=request.user,
            target=document,
            data={"number": document.number, "kind": document.kind},
        )
        filename = f"{document.get_kind_display()}-{document.number or document.pk}.pdf"
        return file_response(
            request, document.file, as_attachment=False, filename=filename, content_type="application/pdf"
        )


class AccessPurposeView(LoginRequiredMixin, View):
    """The answer to "why do you open this?" (R-SEC-2): kept for the subject for the rest of the session, then back
    to the page asked for, which registers the look (``creditportal.access``). A refused answer asks again and
    opens nothing."""

    http_method_names = ["post"]

    def post(self, request):
        form = PurposeForm(request.POST)
        valid = form.is_valid()
        ticket = form.cleaned_data.get("ticket") or {}
        if valid and (ticket.get("user") != request.user.pk or ticket.get("session") != session_mark(request)):
            form.add_error(None, _("This form has expired: open the page again."))
            valid = False
        if not valid:
            return purpose_page(request, form, ticket.get("name", ""))
        ticket = form.cleaned_data["ticket"]
        declare_purpose(request, ticket["subject"], form.cleaned_data["purpose"], form.cleaned_data["text"].strip())
        return redirect(safe_next(request, ticket["next"]))


def safe_next(request, target: str) -> str:
    """``target`` when it is a page of the portal, else the dashboard (never off the portal)."""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("dashboard")


class MembershipAwaitingView(ScopedViewMixin, ServiceFormMixin, FormView):
    """The roles the security administrator gave in the head's departments, waiting for his confirmation (issue 21,
    R-SEC-6): who, which role, given by whom, when and why; confirm, or refuse with the reason. Scoped like case
    data: another department's role is a 404; nobody decides on his own role."""

    model = Membership
    scope_action = "confirm"
    form_class = MembershipDecisionForm
    template_name = "creditportal/memberships_awaiting.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awaiting"] = memberships_awaiting(user=self.request.user)
        return context

    def perform(self, data) -> str:
        membership = get_object_or_404(self.get_queryset(), pk=data["membership"])
        if data["decision"] == "confirm":
            accounts.membership_confirm(membership=membership, actor=self.request.user, reason=data["reason"])
            self.success_message = _("The role is confirmed: %(user)s now works as %(role)s in %(department)s.")
        else:
            accounts.membership_refuse(membership=membership, actor=self.request.user, reason=data["reason"])
            self.success_message = _("The role is refused: %(user)s does not work as %(role)s in %(department)s.")
        self.success_message = self.success_message % {
            "user": membership.user.get_full_name() or membership.user.username,
            "role": membership.get_role_display(),
            "department": membership.department.display_name,
        }
        return reverse("membership_awaiting")


class DeadlineListView(ScopedViewMixin, TemplateView):
    """The deadlines of the user's departments (issue 10, monitoring): overdue, due today, due in the next 7 days,
    and the on-time rate per month; ``?department=`` narrows it to one of them. Read through the scope
    (``creditportal.monitoring.deadlines_page``); another department's clocks never appear."""

    model = Deadline
    template_name = "creditportal/deadlines.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.request.GET.get("department", "")
        page = deadlines_page(
            user=self.request.user,
            today=timezone.localdate(),
            department_id=int(chosen) if chosen.isdigit() else None,
            group=self.request.GET.get("group", ""),
            number=page_number(self.request),
        )
        chart = on_time_chart(page.months) if page.months else None
        context.update(page=page, chart=chart, today=timezone.localdate())
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes his own password (old one, then the new one twice, Django's validators); this ends the
    change a password set by the security administrator asks for (R-SEC-6; issue 21). The write is the
    service's, the page Django's."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = accounts.user_password_change(user=form.user, raw_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)  # stays logged in here, logged out elsewhere
        return HttpResponseRedirect(self.get_success_url())


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("second factor", "Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next") or "")


class SecondFactorSetupView(LoginRequiredMixin, FormView):
    """Issue 21: the first sign-in of a supervisor, head or administrator sets up the second factor: the key as a QR
    code and as text for an authenticator app, confirmed by a code it shows; then the recovery codes, once."""

    template_name = "registration/second_factor_setup.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        """Someone with a factor signs in with it first; signed in with it, he may move it to a new phone here (the
        old key stops working once the new one is confirmed)."""
        user = request.user
        if user.is_authenticated and second_factor.confirmed_authenticator(user) and not user.is_verified():
            return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': _next_url(request)})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        import qrcode
        import qrcode.image.svg

        device = second_factor.authenticator_start(user=self.request.user)
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        key = base64.b32encode(device.bin_key).decode()
        return super().get_context_data(
            qr=mark_safe(image.to_string(encoding="unicode")),  # noqa: S308  (our own SVG, no user text in it)
            key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            next=_next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        device = second_factor.authenticator_start(user=self.request.user)
        try:
            codes = second_factor.authenticator_confirm(
                request=self.request, device=device, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        return render(
            self.request,
            "registration/second_factor_codes.html",
            {"codes": codes, "next": _next_url(self.request)},
        )


class SecurityKeyRemoveForm(forms.Form):
    key = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class SecurityKeysView(UserPassesTestMixin, FormView):
    """Issue 21: the security keys and passkeys of a person who signs in with a second factor: register one (the
    browser's own dialogue, from this verified session), or remove a lost one. The authenticator app and the
    recovery codes stay: a key is one more way through the second step, not the only one."""

    template_name = "registration/security_keys.html"
    form_class = SecurityKeyRemoveForm
    success_url = reverse_lazy("security_keys")

    def test_func(self) -> bool:
        return second_factor.needs_second_factor(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(keys=second_factor.security_keys(self.request.user), **kwargs)

    def form_valid(self, form):
        second_factor.security_key_remove(
            user=self.request.user, pk=form.cleaned_data["key"], reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("The security key is removed: it no longer signs you in."))
        return super().form_valid(form)


class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    """Issue 21: after the password, the code from the app (or a recovery code, used up)."""

    template_name = "registration/second_factor_verify.html"
    form_class = SecondFactorForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next=_next_url(self.request),
            has_security_key=second_factor.security_keys(self.request.user).exists(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            second_factor.verify(request=self.request, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        return redirect(_next_url(self.request))


class DocumentRecipientView(ScopedViewMixin, ServiceFormMixin, FormView):
    """Decide, with the reason, whether one document goes to the subject against what its kind declares (issue 22);
    the department's caseworkers, before the document is served. Back to the page it was opened from."""

    model = IssuedDocument
    scope_action = "change"
    form_class = DocumentRecipientForm
    template_name = "creditportal/form.html"
    success_message = gettext_lazy("The document's recipient was recorded.")

    @cached_property
    def document(self) -> IssuedDocument:
        return get_object_or_404(self.get_queryset().select_related("content_type"), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"to_subject": "1" if documents.goes_to_subject(self.document) else "0"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Who receives %(document)s") % {"document": self.document}, back=self._next(), **kwargs
        )

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return reverse("my_work")

    def perform(self, data):
        documents.document_recipient_set(
            document=self.document, to_subject=data["to_subject"], actor=self.request.user, reason=data["reason"]
        )
        return self._next()


class DocumentVerifyView(ReplicaReadMixin, FormView):
    """The public verification of a document (issue 22; no sign-in): whoever holds a PDF the authority issued checks
    its department's electronic signature and that it is exactly the file issued (its SHA-256), with what identifies
    it (kind, number, department, date, whether a later document superseded it). The file is read, not kept."""

    template_name = "creditportal/document_verify.html"
    form_class = DocumentVerifyForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        verification = document_verification(upload.read())
        return self.render_to_response(self.get_context_data(form=form, verification=verification))
