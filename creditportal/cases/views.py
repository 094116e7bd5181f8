"""Case pages (issue 17): one detail view and one act view for every case type.

A case app declares its page once:

- ``CaseDetailView``: the case file (``templates/creditportal/case_detail.html``, which each case template
  extends). Its ``acts`` table (act name → ``Act``) names, for each act the page offers, the form and how the
  form's cleaned data reaches the service; the acts on offer, and why one cannot be taken now, come from the
  workflow (``Workflow.offered``), with the declared ``preview`` standing in for what the person will type.
- ``CaseActView``: a POST of one act (``<case>/<pk>/act/<name>/``): the scope (another department's case is a
  404), the act's form, the service. Every act that changes state passes the version the page showed
  (``expected_version``), so a page opened before someone else acted is refused, not applied.
- ``CasePostView``: any other form on the case page (a statement, a hearing's minutes, a letter sent). A refused
  form (a bad field, or the service says no) shows the case page again in one place, ``render_refused``: the form
  as the person filled it, open, and the reason at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from creditportal.access import SubjectAccessMixin, ask_purpose, declared_purpose, record_opened
from creditportal.citations import for_people
from creditportal.forms import ServiceFormMixin
from creditportal.permissions import ScopedViewMixin
from creditportal.workflow import Offer, Workflow


@dataclass(frozen=True)
class Act:
    """One act a case page offers: its form and how the form's cleaned data reaches the service
    (``call(case, actor, cleaned_data)``; ``creditportal.forms.act_call`` builds one)."""

    form: type[forms.Form]
    call: Callable[[Any, Any, dict], object]
    #: Stand-ins for what the person types in the form (reasons, days …) that a guard needs: the page checks the
    #: state and the law with them before the form is filled; the service checks the real input. A function of
    #: the case when the stand-in depends on it.
    preview: Mapping[str, object] | Callable[[Any], Mapping[str, object]] = field(default_factory=dict)
    #: Initial values taken from the case (the recipient of a letter …).
    initial: Callable[[Any], dict] | None = None
    #: Offered first, and open, when it can be taken (the act that moves the case on).
    primary: bool = False
    #: A red button: the act ends, refuses or withdraws something.
    danger: bool = False
    #: A sentence shown in the form, from the case (what accepting promises …).
    note: Callable[[Any], str] | None = None

    def preview_for(self, case) -> Mapping[str, object]:
        return self.preview(case) if callable(self.preview) else self.preview


@dataclass
class OfferedAct:
    """An act on a case page: what the template shows."""

    name: str
    label: str
    refusal: str | None
    form: forms.Form
    primary: bool
    danger: bool
    note: str = ""

    @property
    def show_form(self) -> bool:
        """The form is shown when the act can be taken, and always after it was sent and refused (what was typed
        is never lost, even when the law refuses the act now)."""
        return self.refusal is None or self.form.is_bound


class CaseDetailView(SubjectAccessMixin, ScopedViewMixin, DetailView):  # type: ignore[misc]  # both bases declare ``model``, ScopedViewMixin's wins
    """A case page. Subclasses set ``model``, ``template_name``, ``workflow``, ``acts``, ``act_url_name`` and
    ``detail_url_name``, and add their own context in ``page_context``."""

    context_object_name = "case"
    #: What the case page delivers of the subject (the access log, R-SEC-3).
    access_fields: tuple[str, ...] = ("case", "documents", "history")
    workflow: Workflow
    acts: Mapping[str, Act] = {}
    #: The URL name of the act view (``<pk>``, ``<act>``) and of this page (``<pk>``).
    act_url_name = ""
    detail_url_name = ""

    def guard_context(self, case) -> dict:
        """What the workflow's guards need beyond the case and the actor."""
        return {"today": timezone.localdate()}

    def form_kwargs(self, name: str, case) -> dict:
        """Extra keyword arguments of an act's form (a form that adapts to the case)."""
        return {}

    def shows(self, case, offer: Offer) -> bool:
        """Whether an act on offer is shown at all (e.g. an act of another kind of case sharing the workflow)."""
        return True

    def act_form(self, name: str, case, data=None, files=None) -> forms.Form:
        act = self.acts[name]
        initial = {"expected_version": case.row_version, **(act.initial(case) if act.initial else {})}
        return act.form(data, files, prefix=name, initial=initial, **self.form_kwargs(name, case))

    def offered_acts(self, case, bound: Mapping[str, forms.Form]) -> list[OfferedAct]:
        offers = self.workflow.offered(
            case,
            actor=self.request.user,
            names=self.acts,
            previews={name: act.preview_for(case) for name, act in self.acts.items()},
            **self.guard_context(case),
        )
        acts = [self._offered(case, offer, bound) for offer in offers if self.shows(case, offer)]
        acts.sort(key=lambda act: not act.primary)  # the act that moves the case on comes first
        return acts

    def _offered(self, case, offer: Offer, bound: Mapping[str, forms.Form]) -> OfferedAct:
        act = self.acts[offer.name]
        return OfferedAct(
            name=offer.name,
            label=str(offer.label),
            refusal=for_people(offer.refusal) if offer.refusal else None,
            form=bound.get(offer.name) or self.act_form(offer.name, case),
            primary=act.primary,
            danger=act.danger,
            note=act.note(case) if act.note is not None else "",
        )

    def page_context(self, case, bound: Mapping[str, forms.Form]) -> dict:
        """The case type's own context (its facts, documents, clocks, other forms)."""
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        bound = kwargs.get("bound") or {}
        context.update(acts=self.offered_acts(case, bound), act_url_name=self.act_url_name, today=timezone.localdate())
        context.update(self.page_context(case, bound))
        return context


class CasePostView(ScopedViewMixin, ServiceFormMixin, FormView):
    """A POST on one case of the page ``page``: the scope first (404), then the form, then the service. Done:
    back to the case page with a message. Refused: the case page again (``render_refused``)."""

    page: type[CaseDetailView]
    http_method_names = ["post"]
    #: The form's name (and prefix) on the case page; ``form_name()`` when it depends on the URL.
    context_form_name = ""

    @property
    def model(self):  # type: ignore[override]  # the page's model, for the scope
        return self.page.model

    @cached_property
    def case(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        self.case  # noqa: B018  (404 before anything else)
        return super().post(request, *args, **kwargs)

    def form_name(self) -> str:
        return self.context_form_name

    def get_prefix(self):
        return self.form_name()

    def page_view(self) -> CaseDetailView:
        page = self.page()
        page.setup(self.request, pk=self.case.pk)
        page.object = page.get_object()
        return page

    def render_refused(self, form) -> HttpResponse:
        """The one place a refused form on a case page is shown: the case page again, this form open with what
        was typed, and the reason at the top."""
        page = self.page_view()
        # R-SEC-2, R-SEC-3: the case page shown again is a look like its GET: asked why (then back to the case page,
        # what was typed lost: nothing was done) and registered
        target = page.access_target()
        if target is not None:
            if declared_purpose(self.request, target.subject_id) is None:
                return ask_purpose(self.request, target, next_path=reverse(page.detail_url_name, args=[self.case.pk]))
            record_opened(
                self.request, target, kind=page.access_kind, page=page.detail_url_name, fields=page.fields_shown()
            )
        name = self.form_name()
        context = page.get_context_data(object=page.object, bound={name: form})
        context.update(
            failed_act=name,
            open_form=name,
            refusal=[for_people(error) for error in form.non_field_errors()],
        )
        return render(self.request, str(page.template_name), context)

    def get_success_url(self) -> str:
        """The case page again; "My work" when the act ended the user's access to the case (an assisting unit's
        reply ends its access, issue 21): never a 404 after a success."""
        if not self.get_queryset().filter(pk=self.case.pk).exists():
            return reverse("my_work")
        return reverse(self.page.detail_url_name, args=[self.case.pk])


class CaseActView(CasePostView):
    """A POST of one act of the page's act table."""

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("act") not in self.page.acts:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_name(self) -> str:
        return self.kwargs["act"]

    def get_form(self, form_class=None):
        return self.page_view().act_form(self.form_name(), self.case, self.request.POST, self.request.FILES)

    def perform(self, data):
        self.page.acts[self.form_name()].call(self.case, self.request.user, data)
        return None

    def get_success_message(self) -> str:
        return _("Done: %(act)s.") % {"act": self.page.workflow.transitions[self.form_name()].label}
