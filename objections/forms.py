"""Forms of the objections app: shape only; the services apply the law (objections/services.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from creditportal.forms import DATE, LongTextField, ReasonMixin, ServiceForm
from creditportal.idempotency import SubmitOnceForm
from creditportal.models import Department
from creditportal.uploads import DocumentField

from .choices import ObjectionGround, ObjectionTarget, PauseReason, RecordRemedy

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [("no", _("No")), ("yes", _("Yes"))]


def _yes(value) -> bool:
    return value == "yes"


class ObjectionForm(SubmitOnceForm, ReasonMixin):
    """An objection to a designation, on its case page (R-DES-2)."""

    ground = forms.ChoiceField(label=_("Ground"), choices=ObjectionGround.choices)
    grounds_text = LongTextField(label=_("Grounds"), rows=3)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    evidence = DocumentField(label=_("Evidence"), required=False)


class ObjectionDecisionForm(ReasonMixin):
    sustained = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=_yes,
        choices=[
            ("no", _("Not adopted: the designation stands")),
            ("yes", _("Adopted: withdraw or remove the designation")),
        ],
    )
    reasons = LongTextField(label=_("Reasons given to the subject"), rows=3)


class ObjectionReceiveForm(ReasonMixin):
    """A written objection (R-OBJ-1) or complaint (R-OBJ-7) received by a caseworker. ``targets`` are the
    choices the page offers: the subject's records and designations it may see, its identifying data, and (a
    complaint) a non-public information collector."""

    about = forms.ChoiceField(label=_("The objection is about"))
    ground = forms.ChoiceField(label=_("Ground"), choices=ObjectionGround.choices)
    grounds_text = LongTextField(label=_("What the applicant says"), rows=3)
    collector = forms.CharField(
        label=_("Information collector complained about"),
        max_length=200,
        required=False,
        help_text=_("Only for a complaint about a non-public information collector."),
    )
    applicant = forms.CharField(label=_("Applicant"), max_length=200, help_text=_("The subject or its agent."))
    applicant_contact = forms.CharField(label=_("Applicant's address or telephone"), max_length=300, required=False)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    evidence = DocumentField(label=_("The written objection and the applicant's documents"), required=False)
    label_now = forms.TypedChoiceField(
        label=_("Label the information “under objection” now"),
        coerce=_yes,
        choices=[("yes", _("Yes")), ("no", _("No, later"))],
        initial="yes",
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)  # noqa: S101 — declared above
        # nothing chosen for the caseworker: opened without ?record= or ?designation=, the form names no target
        about.choices = [("", _("— choose what the objection is about —")), *targets]


class LabelForm(ReasonMixin):
    pass


class AssistanceRequestForm(ReasonMixin):
    assisting_department = forms.ModelChoiceField(
        label=_("Unit asked to help verify"), queryset=Department.objects.filter(is_active=True).order_by("code")
    )
    request = LongTextField(label=_("What it is asked to verify"), rows=2)


class AssistanceReplyForm(ReasonMixin):
    reply = LongTextField(label=_("What the verification found"), rows=3)


class PauseForm(ReasonMixin):
    pause_reason = forms.ChoiceField(label=_("Why the clock stops"), choices=PauseReason.choices)
    paused_from = forms.DateField(label=_("From (first day not counted)"), widget=DATE)


class ResumeForm(ReasonMixin):
    paused_until = forms.DateField(label=_("Until (last day not counted)"), widget=DATE)


class ExtensionRequestForm(ReasonMixin):
    """R-OBJ-3: the caseworker asks the person responsible for more time."""

    days = forms.IntegerField(label=_("Extend by (working days)"), min_value=1, max_value=60)
    grounds = LongTextField(label=_("Why more time is needed"), rows=2)


class ExtendForm(ReasonMixin):
    """Approving the extension requested: the days are the request's (R-OBJ-3)."""


class ExtensionRefusalForm(ReasonMixin):
    refusal = LongTextField(label=_("Why the extension is refused"), rows=2)


class ReferForm(ReasonMixin):
    referred_to = forms.CharField(label=_("Competent unit"), max_length=200)
    reasons = LongTextField(label=_("Why it is outside this unit's scope"), rows=2)


class DecideForm(ReasonMixin):
    sustained = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=_yes,
        choices=[("no", _("Not sustained: the information is not corrected")), ("yes", _("Sustained"))],
    )
    reasons = LongTextField(label=_("Reasons given to the applicant"), rows=3)
    remedy = forms.ChoiceField(
        label=_("If sustained: what happens to the record"),
        choices=[("", "—"), *RecordRemedy.choices],
        required=False,
    )
    summary = LongTextField(label=_("Corrected summary"), rows=2, required=False)
    determined_on = forms.DateField(label=_("Corrected determination date"), widget=DATE, required=False)
    designations_fall = forms.TypedChoiceField(
        label=_("Designations resting on the record no longer stand"),
        coerce=_yes,
        choices=YES_NO,
        initial="no",
        required=False,
        help_text=_("Always so when the record is deleted."),
    )

    def __init__(self, *args, target: str = "", current_summary: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if target != ObjectionTarget.RECORD:
            for name in ("remedy", "summary", "determined_on", "designations_fall"):
                del self.fields[name]
        else:  # the decider edits the record's summary as it stands, not a blank
            self.fields["summary"].initial = current_summary

    @staticmethod
    def corrections_of(data: dict) -> dict:
        """The corrected values the decider typed (R-OBJ-6): only those given."""
        return {name: data[name] for name in ("summary", "determined_on") if data.get(name)}


class IssueAnswerForm(ReasonMixin):
    english = forms.TypedChoiceField(
        label=_("Add an English parallel text"), coerce=_yes, choices=YES_NO, initial="no", required=False
    )


class ServeAnswerForm(ServiceForm):
    pass


class WithdrawForm(ReasonMixin):
    """The applicant's written withdrawal, received on a day (issue 18: never the caseworker's word alone)."""

    withdrawal_received_on = forms.DateField(label=_("Written withdrawal received on"), widget=DATE)
    withdrawal_document = DocumentField(
        label=_("The applicant's signed withdrawal"),
        help_text=_("A scan of the withdrawal the applicant signed; it is kept with the objection."),
    )
