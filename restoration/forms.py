"""Forms of the restoration app: shape only; the services check the law (R-RES-1 to R-RES-5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from creditportal.forms import DATE, LongTextField, ReasonMixin, ServiceForm
from creditportal.uploads import DocumentField

from .choices import EXTRA_GROUNDS, RestorationMethod

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def method_choices(profile) -> list[tuple[str, StrOrPromise]]:
    """R-RES-1, R-RES-3: the grounds this deployment's regulation accepts (HB also obligations or a settlement
    performed)."""
    extra = bool(profile and profile.restoration_extra_grounds)
    return [(value, label) for value, label in RestorationMethod.choices if extra or value not in EXTRA_GROUNDS]


class RestorationStartForm(ReasonMixin):
    """The subject's application, received by a caseworker. No fee is asked anywhere (R-RES-5)."""

    target = forms.ChoiceField(label=_("What is to be restored"))
    method = forms.ChoiceField(label=_("Restoration method"), choices=RestorationMethod.choices)
    evidence = LongTextField(
        label=_("Evidence"),
        rows=4,
        help_text=_("What the subject did to correct the conduct and remove its effects, and the proof given."),
    )
    evidence_file = DocumentField(label=_("Evidence file"), required=False)
    commitment = LongTextField(
        label=_("Public credit commitment"),
        rows=3,
        required=False,
        help_text=_(
            "The commitment the subject made publicly (信用承诺书): required under the national rules in force "
            "(R-NAT-3)."
        ),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)

    def __init__(self, *args, targets=(), profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        target, method = self.fields["target"], self.fields["method"]
        assert isinstance(target, forms.ChoiceField)  # noqa: S101 — declared above
        assert isinstance(method, forms.ChoiceField)  # noqa: S101 — declared above
        target.choices = list(targets)
        method.choices = method_choices(profile)


class AcceptForm(ReasonMixin):
    """Nothing to type but the reason: the promised period is the jurisdiction profile's (R-RES-5), shown on the
    page, the same the decision documents promised."""


class RefuseForm(ReasonMixin):
    """The decision not to accept: the reasons the subject is told, in a numbered decision (issue 19)."""

    reasons = LongTextField(label=_("Reasons told to the subject"), rows=3, required=False)
    english = forms.BooleanField(label=_("Add an English parallel text"), required=False)


class ReviewForm(ReasonMixin):
    opinion = LongTextField(label=_("Review opinion"), rows=3, required=False)


class DecideForm(ReasonMixin):
    reasons = LongTextField(label=_("Reasons told to the subject"), rows=3, required=False)
    english = forms.BooleanField(label=_("Add an English parallel text"), required=False)


class ActForm(ReasonMixin):
    """An act that needs only the reason."""


class NoticeServiceForm(ServiceForm):
    """How the restoration notice reached the subject."""
