"""Forms of the objections app: shape only; the services apply the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from creditportal.forms import ReasonMixin

from .choices import ObjectionGround

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ObjectionForm(ReasonMixin):
    ground = forms.ChoiceField(label=_("Ground"), choices=ObjectionGround.choices)
    grounds_text = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class ObjectionDecisionForm(ReasonMixin):
    sustained = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("Not adopted: the designation stands")),
            ("yes", _("Adopted: withdraw or remove the designation")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons given to the subject"), widget=forms.Textarea(attrs={"rows": 3}))
