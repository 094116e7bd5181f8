"""Forms of the subjects app: shape and a clear message per field; the law is checked by the service."""
from django import forms
from django.utils.translation import gettext_lazy as _

from creditportal.models import Department
from creditportal.permissions import department_ids_for

from .models import CreditSubject
from .services import _check_identifier


class SubjectForm(forms.ModelForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    reason = forms.CharField(
        label=_("Reason for this change"), max_length=500,
        help_text=_("Kept in the subject's history with your name (R-SEC-4)."),
        widget=forms.TextInput(),
    )

    class Meta:
        model = CreditSubject
        fields = ["kind", "name", "id_type", "id_number", "ownership", "address"]
        help_texts = {
            "id_number": _("Resident identity card: 18 characters, the last may be X. "
                           "Unified social credit code: 18 characters."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["department"]
        else:
            allowed = department_ids_for(user, "subjects.add_creditsubject")
            self.fields["department"].queryset = Department.objects.filter(pk__in=allowed).order_by("code")
            if len(allowed) == 1:
                self.fields["department"].initial = next(iter(allowed))
            self.fields["reason"].initial = _("Registered")

    def clean(self):
        cleaned = super().clean()
        kind, id_type, id_number = (cleaned.get(k) for k in ("kind", "id_type", "id_number"))
        if kind and id_type and id_number:
            try:
                cleaned["id_number"] = _check_identifier(kind=kind, id_type=id_type, id_number=id_number)
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned

    def _post_clean(self):
        # The service validates the model and saves it; the form only checks shape.
        pass
