"""Forms shared by every workflow."""
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import ServiceMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReasonMixin(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Kept in the history with your name."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ServiceForm(ReasonMixin):
    """How a document reached its recipient (R-DES-5)."""

    method = forms.ChoiceField(label=_("Method of service"), choices=ServiceMethod.choices)
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    proof = forms.FileField(label=_("Proof of service"), required=False)


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form that caused it: each message beside its field when the service
    named one the form has, otherwise at the top. Nothing the user typed is lost; the form is shown again."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not do this."))
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
