from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from creditportal.forms import DATE, LongTextField
from creditportal.uploads import DocumentField
from objections.choices import ObjectionGround
from restoration.forms import method_choices

from .choices import Matter


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identity number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("A natural person's resident identity number."),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Sign-in code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code is six digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ObjectionForm(forms.Form):
    """An objection the subject files itself (R-OBJ-1): to one of its records on display or one of its designations,
    on a ground the regulation accepts, with what it says and, if it has them, its documents."""

    ground = forms.ChoiceField(label=_("Ground"), choices=ObjectionGround.choices)
    grounds_text = LongTextField(label=_("What you say, and why"), rows=5)
    evidence = DocumentField(label=_("Your documents (optional)"), required=False)
    contact = forms.CharField(
        label=_("Your address or telephone"),
        max_length=300,
        required=False,
        help_text=_("The answer is also served on you; your electronic address is used where you signed for it."),
    )


class RestorationForm(forms.Form):
    """An application for credit restoration the subject files itself (R-RES-1, R-NAT-3): the method the regulation
    accepts, what it did and the proof, and its public credit commitment. Free of charge."""

    method = forms.ChoiceField(label=_("Restoration method"))
    evidence = LongTextField(label=_("What you did to correct the conduct, and your proof"), rows=4)
    evidence_file = DocumentField(label=_("Your documents (optional)"), required=False)
    commitment = LongTextField(
        label=_("Your public credit commitment"),
        rows=3,
        required=False,
        help_text=_("That what you hand in is true and the conduct will not recur; it is published once accepted."),
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = method_choices(profile)


class AgentForm(forms.Form):
    """An organisation's legal representative authorises an agent (issue 22): the person by its identity number and
    name (to find it: nothing else is searched), all matters or named ones, and the last day it is in force. The
    service checks the rest (who may, the person, the dates)."""

    identifier = forms.CharField(
        label=_("Agent's identity number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("A natural person's resident identity number."),
    )
    name = forms.CharField(label=_("Agent's name"), max_length=200, help_text=_("As on the identity card."))
    all_matters = forms.BooleanField(
        label=_("All matters"), required=False, help_text=_("Including those the portal offers later.")
    )
    matters = forms.MultipleChoiceField(
        label=_("Or these matters"), choices=Matter.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("In force until"),
        widget=DATE,
        help_text=_("The last day the agent may act; it may be withdrawn sooner."),
    )


class AgentWithdrawForm(forms.Form):
    """The legal representative withdraws an agent's authorisation, saying why (kept with it)."""

    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=500)
