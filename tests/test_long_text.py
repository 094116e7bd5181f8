"""Long texts are bounded where a document would become unreadable (issue 21): every free text a form takes
(``LongTextField``, and a model's text field in a ``ModelFieldsForm``) holds at most ``PORTAL_TEXT_MAX_CHARS``
characters; more is refused on the form, in the user's language, before any service runs."""

import pytest
from django import forms
from django.conf import settings
from django.forms.models import fields_for_model
from django.utils import translation

from creditportal.forms import ModelFieldsForm, bounded_formfield
from objections.forms import ObjectionForm
from tests.test_longest_input import _form_classes


def _all_fields(cls) -> dict[str, forms.Field]:
    fields = dict(cls.base_fields)
    if issubclass(cls, ModelFieldsForm) and getattr(cls, "model_fields", None):
        built = fields_for_model(
            cls.model, fields=cls.model_fields, widgets=cls.widgets, formfield_callback=bounded_formfield
        )
        fields = {**built, **fields}
    return fields


def test_r_sec_6_every_free_text_of_every_form_is_bounded():
    unbounded = [
        f"{path}.{name}"
        for path, cls in _form_classes()
        for name, field in _all_fields(cls).items()
        if isinstance(field, forms.CharField)
        and isinstance(field.widget, forms.Textarea)
        and (field.max_length is None or field.max_length > settings.PORTAL_TEXT_MAX_CHARS)
    ]
    assert unbounded == [], unbounded
    assert len(list(_form_classes())) > 40


def test_r_sec_6_a_million_character_objection_is_refused_and_says_why():
    with translation.override("zh-hans"):
        form = ObjectionForm(data={"ground": "error", "grounds_text": "异" * 1_000_000, "reason": "收到"})
        assert not form.is_valid()
        assert "5000" in str(form.errors["grounds_text"])
    bounded = ObjectionForm.base_fields["grounds_text"]
    assert bounded.widget.attrs.get("maxlength") == str(settings.PORTAL_TEXT_MAX_CHARS)


@pytest.mark.django_db
def test_r_sec_6_a_models_text_in_a_form_is_bounded_as_the_form_builds_it():
    """A ``ModelFieldsForm`` bounds the model's text fields itself (the catalog item's conduct, a designation's
    facts use the same form class)."""
    from catalog.forms import CatalogItemForm

    form = CatalogItemForm(data={"conduct": "行" * (settings.PORTAL_TEXT_MAX_CHARS + 1)})
    assert form.fields["conduct"].max_length == settings.PORTAL_TEXT_MAX_CHARS
    assert not form.is_valid() and "conduct" in form.errors
