"""Forms as people read them: django-bootstrap5's renderers, with rule ids cited at the source.

A help text, a label or an error may carry "(R-CAT-1)" so that a developer finds the rule; the form a person
reads cites the deployment's own article instead, or nothing (``creditportal.citations.for_people``). Only text
written by the product passes here (labels, help texts, validation messages), never a value somebody typed, and
the finished page is never rewritten (issue 16: a rewritten body no longer matched its Content-Length).
"""

from django.utils.safestring import mark_safe
from django_bootstrap5.html import EMPTY_SAFE_HTML
from django_bootstrap5.renderers import FieldRenderer, FormRenderer
from django_bootstrap5.utils import render_template_file

from .citations import for_people


class CitingFieldRenderer(FieldRenderer):
    """A field whose label, help text and errors cite articles, not rule ids."""

    def __init__(self, field, **kwargs):
        super().__init__(field, **kwargs)
        self.help_text: str
        self.field_errors: list[str]
        self.label: str
        # Help texts are HTML by Django's convention (rendered |safe): cite as HTML, articles escaped.
        self.help_text = for_people(mark_safe(self.help_text)) if self.help_text else ""  # noqa: S308
        self.field_errors = [for_people(error) for error in self.field_errors]
        self.label = for_people(self.label) if self.label else self.label


class CitingFormRenderer(FormRenderer):
    """A form whose error summary cites articles, not rule ids (django-bootstrap5's ``render_errors``, cited)."""

    def render_errors(self, type="all"):
        fields = self.get_fields_errors() if type in {"all", "fields"} else []
        non_fields = self.form.non_field_errors() if type in {"all", "non_fields"} else []
        errors = [for_people(error) for error in [*fields, *non_fields]]
        if not errors:
            return EMPTY_SAFE_HTML
        return render_template_file(
            self.form_errors_template,
            context={"errors": errors, "form": self.form, "layout": self.layout, "type": type},
        )
