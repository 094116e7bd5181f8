"""Base views: login, logout, dashboard, "My work", issued documents, the deadlines page."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from . import accounts
from .audit import record_event
from .models import Deadline, IssuedDocument
from .monitoring import deadlines_page, on_time_chart
from .panels import panels_for
from .permissions import ScopedViewMixin
from .selectors import dashboard_counts, deadlines_due, user_memberships


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
        due = deadlines_due(user=user, today=timezone.localdate())
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
        due = deadlines_due(user=self.request.user, today=today, limit=50, provisional=True)
        context.update(
            today=today,
            clocks=[(key, title, style, due[key]) for key, title, style in DUE_GROUPS],
            anything_due=any(due[key] for key, _title, _style in DUE_GROUPS),
            provisional=due["provisional"],
            sections=panels_for("my_work", request=self.request, obj=None),
        )
        return context


class DocumentDownloadView(ScopedViewMixin, View):
    """An issued PDF, through the scope (another department's document is a 404); each download is logged."""

    model = IssuedDocument

    def get(self, request, pk: int):
        document = get_object_or_404(self.get_queryset(), pk=pk)
        if not document.file:
            raise Http404(_("The PDF is still being rendered; try again in a moment."))
        record_event(
            action="creditportal.document.downloaded",
            actor=request.user,
            target=document,
            data={"number": document.number, "kind": document.kind},
        )
        filename = f"{document.get_kind_display()}-{document.number or document.pk}.pdf"
        return FileResponse(
            document.file.open("rb"), as_attachment=False, filename=filename, content_type="application/pdf"
        )


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
        )
        context.update(page=page, chart=on_time_chart(page.months), today=timezone.localdate())
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
