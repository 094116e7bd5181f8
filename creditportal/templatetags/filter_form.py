"""A list's filter form without django-bootstrap5's per-field renderer (issue 23: ``{% bootstrap_field %}`` took
13–29 ms of a list page at scale). ``{% filter_widget field %}`` renders the widget with the classes, state and
placeholder ``{% bootstrap_field field size="sm" %}`` gave it, so the form looks the same; the label, the errors and
the help text are in ``creditportal/includes/filter_field.html``, cited as the Citing renderers cite them."""

from django import forms, template

from creditportal.citations import for_people

register = template.Library()

#: Inputs django-bootstrap5 gives the field's label as placeholder (text-like inputs).
_PLACEHOLDER_INPUTS = {"text", "search", "email", "url", "tel", "number", "password", "date", "datetime-local", "time"}


@register.simple_tag
def filter_widget(field):
    """``field``'s widget as ``{% bootstrap_field field size="sm" %}`` renders it: ``form-select-sm`` or
    ``form-control-sm``, ``is-invalid`` (described by its errors) or, on a bound form, ``is-valid``."""
    widget = field.field.widget
    select = isinstance(widget, forms.Select)
    classes = ["form-select", "form-select-sm"] if select else ["form-control", "form-control-sm"]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.form.is_bound:
        classes.append("is-valid")
    existing = widget.attrs.get("class", "")
    attrs["class"] = " ".join([existing, *classes]).strip() if existing else " ".join(classes)
    if not select and getattr(widget, "input_type", "") in _PLACEHOLDER_INPUTS and "placeholder" not in widget.attrs:
        attrs["placeholder"] = for_people(field.label)
    return field.as_widget(attrs=attrs)


@register.filter
def cited(text):
    """A label, an error or a help text as a person reads it (``creditportal.citations.for_people``)."""
    return for_people(text)
