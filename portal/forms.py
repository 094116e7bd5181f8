from django import forms
from django.utils.translation import gettext_lazy as _


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
