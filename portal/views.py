"""The subject portal's pages (issue 22): sign-in by identifier and a code sent out of band, then the subject's own
information. Thin: services sign in, selectors read, and every read is bound to the signed-in subject."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from creditportal.audit import record_event
from creditportal.documents import document_downloaded_by_subject
from creditportal.forms import add_service_errors
from subjects.models import CreditSubject

from . import selectors, services
from .agency import AGENT, LEGAL_REPRESENTATIVE
from .choices import Matter
from .forms import AgentForm, AgentWithdrawForm, CodeForm, ObjectionForm, RestorationForm, SignInForm

#: The session keys of the portal: the person signed in, the code sent (0: none was, yet the page is the same), and
#: the organisation the person acts for as its legal representative or agent (checked again on every request).
SUBJECT, CODE, ACTING = "portal_subject", "portal_code", "portal_acting_for"
#: When the signed-in subject was last seen (seconds since the epoch): an idle portal session ends.
SEEN = "portal_seen_at"


class SignInView(FormView):
    """Step one: the identity number. The same answer whether or not a code was sent (nobody learns from the page
    whether a number is known, or has an address)."""

    template_name = "portal/signin.html"
    form_class = SignInForm

    def form_valid(self, form):
        row = services.signin_code_send(identifier=form.cleaned_data["identifier"])
        self.request.session[CODE] = row.pk if row else 0
        return redirect("portal_code")


class CodeView(FormView):
    """Step two: the code. Signed in, the session is renewed (a session fixed before cannot ride it)."""

    template_name = "portal/code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if CODE not in request.session:
            return redirect("portal_signin")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        subject = services.signin_code_check(code_id=self.request.session.get(CODE), code=form.cleaned_data["code"])
        if subject is None:
            form.add_error(
                "code",
                _("This code is not right, or no longer valid: ask for a new one."),
            )
            return self.form_invalid(form)
        self.request.session.cycle_key()
        self.request.session.pop(CODE, None)
        self.request.session[SUBJECT] = subject.pk
        self.request.session[SEEN] = int(time.time())
        return redirect("portal_home")


class SignOutView(View):
    def post(self, request):
        for key in (SUBJECT, CODE, ACTING, SEEN):
            request.session.pop(key, None)
        request.session.cycle_key()
        return redirect("portal_signin")


class SubjectPortalMixin:
    """A page of the signed-in subject: without one, the sign-in page. A page that acts on a matter names it
    (``required_matters``: any of them will do): an agent whose authorisations in force today cover none of them is
    sent back to the home page with why, at every request (issue 22)."""

    request: HttpRequest
    required_matters: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.session.get(SUBJECT):
            return redirect("portal_signin")
        # left idle for PORTAL_IDLE_MINUTES, the portal session ends as a staff one does (issue 21)
        now = int(time.time())
        if now - request.session.get(SEEN, now) > settings.PORTAL_IDLE_MINUTES * 60:
            for key in (SUBJECT, CODE, ACTING, SEEN):
                request.session.pop(key, None)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                % {"minutes": settings.PORTAL_IDLE_MINUTES},
            )
            return redirect("portal_signin")
        request.session[SEEN] = now
        if self.required_matters and not set(self.required_matters) & self.matters:
            messages.error(
                request,
                _("You may not act on this matter for %(name)s: your authorisation in force today does not cover it.")
                % {"name": self.subject.name},
            )
            return redirect("portal_home")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @cached_property
    def person(self) -> CreditSubject:
        """The natural person signed in."""
        person = CreditSubject.objects.filter(pk=self.request.session[SUBJECT], is_active=True).first()
        if person is None:
            raise Http404
        return person

    @cached_property
    def subject(self) -> CreditSubject:
        """Whose information the pages show: the organisation the person acts for, while the person is still its
        legal representative or its agent under an authorisation in force (checked on every request), else the
        person."""
        acting = self.request.session.get(ACTING)
        if acting:
            organisation = selectors.represented(self.person).filter(pk=acting).first()
            if organisation is not None:
                return organisation
            self.request.session.pop(ACTING, None)  # no longer its representative or agent: back to its own
        return self.person

    @cached_property
    def acting(self) -> tuple[str | None, frozenset[str]]:
        """In what capacity the person acts for ``subject`` today, and in which matters (``portal.agency``)."""
        return selectors.acting(self.person, self.subject)

    @property
    def matters(self) -> frozenset[str]:
        return self.acting[1]


class HomeView(SubjectPortalMixin, TemplateView):
    """The subject's own information, free of charge (R-SEC-1): what is on display about it, its listings, the
    documents that went to it, and who looked at it (R-SEC-3). An agent sees the sections of the matters it is
    authorised for; the legal representative acting for its organisation sees its agents and authorises them."""

    template_name = "portal/home.html"

    def get_context_data(self, agent_form=None, **kwargs):
        subject, matters = self.subject, self.matters
        can = {matter: matter in matters for matter in Matter.values}
        # records and listings: what one reads, objects to or applies to restore
        targets = can[Matter.INFORMATION] or can[Matter.OBJECTIONS] or can[Matter.RESTORATION]
        manages_agents = self.acting[0] == LEGAL_REPRESENTATIVE
        return super().get_context_data(
            subject=subject,
            person=self.person,
            represented=selectors.represented(self.person),
            legally_represented=set(selectors.legally_represented(self.person).values_list("pk", flat=True)),
            as_agent=self.acting[0] == AGENT,
            can=can,
            matter_labels=[label for value, label in Matter.choices if value in matters],
            records=selectors.own_records(subject) if targets else [],
            designations=selectors.own_designations(subject) if targets else [],
            documents=selectors.readable_documents(subject, matters),
            objections=selectors.own_objections(subject) if can[Matter.OBJECTIONS] else [],
            restorations=selectors.own_restorations(subject) if can[Matter.RESTORATION] else [],
            objectable_designations=set(selectors.objectable_designations(subject).values_list("pk", flat=True))
            if targets
            else set(),
            lookers=selectors.own_lookers(subject) if can[Matter.INFORMATION] else [],
            manages_agents=manages_agents,
            agents=selectors.agent_authorisations(subject) if manages_agents else [],
            agent_form=agent_form or AgentForm(),
            **kwargs,
        )


class DocumentView(SubjectPortalMixin, View):
    """One of the subject's documents, as a PDF; another's is a 404. Its download is recorded (apart from its
    service), with the person who downloaded it (the subject, its legal representative or its agent)."""

    required_matters = (Matter.DOCUMENTS, Matter.REPORTS)

    def get(self, request, pk: int):
        document = selectors.own_document(self.subject, pk, self.matters)
        if document is None:
            raise Http404
        record_event(
            action="portal.document.downloaded",
            actor=None,
            target=self.subject,
            data={"document": document.pk, "number": document.number, "person": self.person.pk},
        )
        # its electronic service keeps the first opening, apart from the date it was served (the message's arrival)
        document_downloaded_by_subject(document=document)
        name = f"{document.get_kind_display()}-{document.number or document.pk}.pdf"
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


class ReportRequestView(SubjectPortalMixin, View):
    """The subject asks for its own credit report (HN 28, R-SEC-1): the last five years, as it stands now; a natural
    person's reports of a year counted against the profile (a refusal says so); it appears under "my documents"."""

    required_matters = (Matter.REPORTS,)

    def post(self, request):
        try:
            services.report_request(subject=self.subject, requested_by=self.person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your credit report is being prepared: it appears under your documents."))
        return redirect("portal_home")


class ActForView(SubjectPortalMixin, View):
    """Switch whose information the pages show: the person's own, or an organisation it represents (R-REC-2; the
    electronic business licence's legal representative) or is an authorised agent of (issue 22). Anything else is
    refused and changes nothing."""

    def post(self, request):
        chosen = request.POST.get("subject", "")
        organisation = selectors.represented(self.person).filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if chosen == "self":
            request.session.pop(ACTING, None)
        elif organisation is not None:
            request.session[ACTING] = organisation.pk
            as_agent = selectors.acting(self.person, organisation)[0] == AGENT
            record_event(
                action="portal.agent.acting_for" if as_agent else "portal.acting_for",
                actor=None,
                target=organisation,
                data={"agent" if as_agent else "representative": self.person.pk},
            )
        else:
            messages.error(
                request,
                _("You may act only for an organisation whose legal representative or authorised agent you are."),
            )
        return redirect("portal_home")


class ObjectionView(SubjectPortalMixin, FormView):
    """File an objection online (R-OBJ-1) to one of the subject's records on display or designations (another's, or
    one not shown, is a 404); the department that holds it receives it as it arrives and its clocks start."""

    template_name = "portal/objection.html"
    form_class = ObjectionForm
    required_matters = (Matter.OBJECTIONS,)

    @cached_property
    def target(self):
        target = selectors.objectable(self.subject, self.kwargs["kind"], self.kwargs["pk"])
        if target is None:
            raise Http404
        return target

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, target=self.target, **kwargs)

    def form_valid(self, form):
        try:
            services.objection_file(
                subject=self.subject,
                filed_by=self.person,
                target=self.target,
                ground=form.cleaned_data["ground"],
                grounds_text=form.cleaned_data["grounds_text"],
                evidence=form.cleaned_data["evidence"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your objection has been filed. The department answers it within the time the law sets.")
        )
        return redirect("portal_home")


class RestorationView(SubjectPortalMixin, FormView):
    """Apply online for credit restoration (R-RES-1, R-NAT-3) of one of the subject's listings or records (another's,
    or one not shown, is a 404), with its public credit commitment; free of charge."""

    template_name = "portal/restoration.html"
    form_class = RestorationForm
    required_matters = (Matter.RESTORATION,)

    @cached_property
    def target(self):
        target = selectors.restorable(self.subject, self.kwargs["kind"], self.kwargs["pk"])
        if target is None:
            raise Http404
        return target

    def get_form_kwargs(self):
        from creditportal.profiles import current_profile

        return {**super().get_form_kwargs(), "profile": current_profile()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, target=self.target, **kwargs)

    def form_valid(self, form):
        try:
            services.restoration_apply(
                subject=self.subject, filed_by=self.person, target=self.target, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your application has been filed. The department decides on it within the time it promised."),
        )
        return redirect("portal_home")


class AgentAuthoriseView(HomeView):
    """The organisation's legal representative, acting for it, authorises an agent (issue 22): the person found by
    its identity number and name (posted, never in an address), all matters or named ones, until a day. Refused, the
    home page comes back with what was typed and why; an agent or the person acting for itself is told it may not."""

    http_method_names = ["post"]

    def post(self, request):
        if self.acting[0] != LEGAL_REPRESENTATIVE:
            messages.error(request, _("Only an organisation's legal representative, acting for it, authorises agents."))
            return redirect("portal_home")
        form = AgentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            agent = selectors.agent_find(data["identifier"], data["name"])
            if agent is None:
                form.add_error("identifier", services.agent_unknown_message())
            else:
                try:
                    services.agent_authorise(
                        organisation=self.subject,
                        granted_by=self.person,
                        agent=agent,
                        all_matters=data["all_matters"],
                        matters=data["matters"],
                        expires_on=data["expires_on"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s may now act for %(organisation)s in the matters you chose, until %(date)s.")
                        % {
                            "name": data["name"],
                            "organisation": self.subject.name,
                            "date": data["expires_on"].isoformat(),
                        },
                    )
                    return redirect("portal_home")
        return self.render_to_response(self.get_context_data(agent_form=form))


class AgentWithdrawView(SubjectPortalMixin, View):
    """The legal representative withdraws one of its organisation's agents' authorisations, saying why; from the
    agent's next request it acts for the organisation no more. Another organisation's is a 404."""

    def post(self, request, pk: int):
        authorisation = selectors.agent_authorisation(self.subject, pk)
        if authorisation is None:
            raise Http404
        form = AgentWithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the authorisation is withdrawn."))
            return redirect("portal_home")
        try:
            services.agent_withdraw(
                authorisation=authorisation, withdrawn_by=self.person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The authorisation has been withdrawn: the agent may act no more."))
        return redirect("portal_home")
