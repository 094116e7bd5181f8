"""Forms shared by every workflow."""

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, TextField
from django.forms.models import fields_for_model, model_to_dict
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_stubs_ext import StrOrPromise

from .choices import ServiceMethod
from .idempotency import SubmitOnceForm
from .uploads import DocumentField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: Django's own message, kept in our catalogue: Django REST framework's Chinese catalogue, installed after Django's,
#: would otherwise replace it on every form with its own wording (issue 23).
REQUIRED_MESSAGE_PINNED = gettext_noop("This field is required.")


class ReasonMixin(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Kept in the history with your name."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LongTextField(forms.CharField):
    """Free text that may end in a document (facts, reasons, grounds, minutes): at most ``PORTAL_TEXT_MAX_CHARS``
    characters (issue 21: a million-character objection was accepted, and a long letter took 20 s to render), said
    on the form and checked again on the server."""

    def __init__(self, *, rows: int = 3, max_length: int | None = None, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length or settings.PORTAL_TEXT_MAX_CHARS, **kwargs)


def bounded_formfield(db_field, **kwargs):
    """A model's field as a form field, a long text bounded as ``LongTextField`` is (``ModelFieldsForm``)."""
    if isinstance(db_field, TextField) and not db_field.max_length:
        kwargs.setdefault("max_length", settings.PORTAL_TEXT_MAX_CHARS)
    return db_field.formfield(**kwargs)


class ModelFieldsForm(forms.Form):
    """A plain form with some of a model's fields (their labels, help texts, choices and limits), for a service
    to save. Shape only: no model validation runs here (the service validates the model and the law, and says
    why in the user's language), and ``instance``, when editing, only gives the initial values: the form never
    changes it. Subclasses set ``model`` and ``model_fields`` (and ``widgets``, ``help_texts`` as a ModelForm's
    Meta would); a field declared on the class replaces the model's of the same name. The model's fields come
    first, in ``model_fields`` order, then the other declared fields."""

    model: type[Model]
    model_fields: Sequence[str] = ()
    widgets: dict[str, forms.Widget | type[forms.Widget]] = {}
    help_texts: dict[str, str] = {}

    def __init__(self, *args, instance: Model | None = None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {**model_to_dict(instance, fields=self.model_fields), **initial}
        super().__init__(*args, **{**kwargs, "initial": initial})
        self.instance = instance if instance is not None else self.model()
        from_model = fields_for_model(
            self.model,
            fields=self.model_fields,
            widgets=self.widgets,
            help_texts=self.help_texts,
            formfield_callback=bounded_formfield,
        )
        declared = self.fields
        self.fields = {
            **{name: declared.get(name) or from_model[name] for name in self.model_fields},
            **{name: field for name, field in declared.items() if name not in from_model},
        }


class ServiceForm(SubmitOnceForm, ReasonMixin):
    """How a document reached its recipient (R-DES-5). A service recorded is a row: sent twice, recorded once."""

    method = forms.ChoiceField(
        label=_("Method of service"),
        choices=ServiceMethod.choices,
        help_text=_(
            "Electronic: only where the subject signed a confirmation; the document is mailed to its address as "
            "you record the service, so the date of service is today."
        ),
    )
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    proof = DocumentField(label=_("Proof of service"), required=False)


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form that caused it: each message beside its field when the service
    named one the form has, otherwise at the top. Nothing the user typed is lost; the form is shown again.
    Rule ids in the messages become the deployment's own articles (``creditportal.citations.for_people``)."""
    from .citations import for_people

    if isinstance(error, PermissionDenied):
        form.add_error(None, for_people(str(error)) or _("You may not do this."))
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, [for_people(m) for m in messages])
    else:
        form.add_error(None, [for_people(m) for m in error.messages])


class ServiceFormMixin:
    """The one way a page shows a refused act: the form goes to a service (``perform``); done → a message and a
    redirect; refused (a bad field, or the service says no) → the page that holds the form is shown again with
    everything the user typed and the reason at the top and beside the field.

    Subclasses implement ``perform(data)`` (returning the URL to go to, or None for ``get_success_url()``);
    ``render_refused(form)`` shows the form's page again (by default the FormView's own page); a
    ``success_message`` is shown when it is done.
    """

    success_message: StrOrPromise = ""
    request: HttpRequest

    def perform(self, data: dict) -> str | None:
        raise NotImplementedError

    def render_refused(self, form):
        return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]  # a mixin: the FormView it is combined with defines it

    def form_valid(self, form):
        try:
            url = self.perform(form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
            return self.render_refused(form)
        if self.get_success_message():
            messages.success(self.request, self.get_success_message())
        return redirect(url or self.get_success_url())  # type: ignore[attr-defined]  # a mixin: the FormView it is combined with defines it

    def form_invalid(self, form):
        return self.render_refused(form)

    def get_success_message(self) -> str:
        return str(self.success_message)


def languages_chosen(data: dict) -> str:
    """Official documents are in Chinese; the English parallel text only when the form's ``english`` was chosen."""
    return "zh-hans,en" if data.get("english") else "zh-hans"


def act_call(service, case: str, *fields: str, versioned: bool = True, languages: bool = False):
    """One entry of a case page's act table: call ``service`` with the case (as keyword ``case``), the actor, the
    form's reason and the named fields of its cleaned data; ``versioned`` adds the version the page was opened at
    (acts that change the case), ``languages`` the document's languages."""

    def call(obj, actor, data: dict):
        kwargs = {case: obj, "actor": actor, "reason": data["reason"], **{name: data.get(name) for name in fields}}
        if versioned:
            kwargs["expected_version"] = data["expected_version"]
        if languages:
            kwargs["languages"] = languages_chosen(data)
        return service(**kwargs)

    return call


class MembershipDecisionForm(forms.Form):
    """A head's decision on a role given in his department (issue 21): confirm it, or refuse it with the reason."""

    membership = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Required to refuse: the security administrator reads it."),
    )


class DocumentVerifyForm(forms.Form):
    """A PDF in someone's hands, to check its department's signature and whether it was issued (issue 22). Read in
    memory and never stored."""

    file = forms.FileField(label=_("The PDF document"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(mb)s MB: no document issued here is that large.")
                % {"mb": settings.PORTAL_UPLOAD_MAX_MB}
            )
        upload.seek(0)
        if not upload.read(5).startswith(b"%PDF-"):
            raise ValidationError(_("The file is not a PDF: choose the PDF document as you received it."))
        upload.seek(0)
        return upload


class DocumentRecipientForm(ReasonMixin):
    """Whether this one document goes to the subject, decided with a reason (issue 22)."""

    to_subject = forms.TypedChoiceField(
        label=_("Who receives it"),
        choices=[("1", _("The subject: it is served on the subject")), ("0", _("Another unit: it stays internal"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    field_order = ["to_subject", "reason"]
