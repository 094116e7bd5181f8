"""Filter pieces every list shares."""

import hashlib
import uuid
from typing import TypeVar

import django_filters
from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from .models import Department
from .permissions import department_ids_for

M = TypeVar("M", bound=Model)

#: Date filters use the browser's date picker.
DATE_INPUT = forms.DateInput(attrs={"type": "date"})

#: How long a filter's departments are reused before they are read again (issue 23: a query per choice filter on
#: every list page). The key holds the query with the user's departments (nobody is offered another's); a saved or
#: deleted department that is offered ends the reuse at once (``forget_choices_of``); a bulk ``update`` the signals do
#: not see shows within this time. Only a query whose rows are known by their keys fits (the user's departments): a
#: list of every standard is not cached, a new standard must be offered at once.
CHOICES_SECONDS = 60


def _row_key(label: str, pk) -> str:
    return f"filters:choices:row:{label}:{pk}"


def cached_choices(queryset: QuerySet[M]) -> list[M]:
    """The rows of ``queryset``, read once a minute (CHOICES_SECONDS): reused while none of them was saved or deleted
    since (each row's version, changed by ``forget_choices_of``'s signals)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # none to offer (``none()``, or no department): no query, nothing to cache
        return []
    label = queryset.model._meta.label_lower
    key = "filters:choices:" + hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
    entry = cache.get(key)
    if entry is not None:
        rows, seen = entry
        now = cache.get_many([_row_key(label, pk) for pk in seen])
        if all(now.get(_row_key(label, pk)) == version for pk, version in seen.items()):
            return rows
    rows = list(queryset)
    keys = [_row_key(label, row.pk) for row in rows]
    versions = cache.get_many(keys)
    missing = {k: _new_version() for k in keys if k not in versions}
    if missing:
        cache.set_many(missing, None)
        versions.update(missing)
    cache.set(key, (rows, {row.pk: versions[_row_key(label, row.pk)] for row in rows}), CHOICES_SECONDS)
    return rows


def _new_version() -> str:
    return uuid.uuid4().hex  # never one used before, even if the cache lost the row's last one


def _forget_choices(sender, instance, **kwargs) -> None:
    cache.set(_row_key(sender._meta.label_lower, instance.pk), _new_version(), None)


def forget_choices_of(model: type[Model]) -> None:
    """A save or delete of a row of ``model`` ends the reuse of every cached choice list that offers it."""
    uid = f"filters:choices:{model._meta.label}"
    post_save.connect(_forget_choices, sender=model, dispatch_uid=f"{uid}:save", weak=False)
    post_delete.connect(_forget_choices, sender=model, dispatch_uid=f"{uid}:delete", weak=False)


class CachedChoiceIterator(ModelChoiceIterator):
    """django-filter's choices (the empty and the null choice first) with the rows from :func:`cached_choices`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in cached_choices(self.queryset):
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(cached_choices(self.queryset)) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(cached_choices(self.queryset))


class CachedModelChoiceField(ModelChoiceField):
    iterator = CachedChoiceIterator


class CachedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose choices are read once a minute (:func:`cached_choices`); a value chosen is still
    checked against the database."""

    field_class = CachedModelChoiceField


forget_choices_of(Department)


def department_filter(perm: str) -> django_filters.ModelChoiceFilter:
    """A department filter offering only the departments where the user holds ``perm`` (the user's departments read
    with the request's roles; the departments' rows cached for a minute, :func:`cached_choices`)."""

    def departments(request):
        if request is None:
            return Department.objects.none()
        return Department.objects.filter(pk__in=sorted(department_ids_for(request.user, perm))).order_by("code")

    return CachedModelChoiceFilter(label=_("Department"), empty_label=_("All"), queryset=departments)


def under_objection_filter() -> django_filters.ChoiceFilter:
    """R-OBJ-2: the rows labelled "under objection" (or not), on the indexed ``under_objection_since``."""
    return django_filters.ChoiceFilter(
        label=_("Under objection"),
        empty_label=_("All"),
        choices=[("yes", _("Under objection")), ("no", _("Not under objection"))],
        method="filter_under_objection",
    )


class UnderObjectionFilterMixin:
    def filter_under_objection(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(under_objection_since__isnull=value == "no")
        return queryset


class AsOfField(forms.DateTimeField):
    """A moment in the past (local time, the browser's date-and-time picker): the public pages as they stood then."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.now():
            raise forms.ValidationError(
                _("Give a past date and time: the list cannot be shown as it will stand."), code="future"
            )


class AsOfFilter(django_filters.Filter):
    field_class = AsOfField

    def filter(self, qs, value):
        return qs  # read by PublishedFilterSet.filter_queryset, which reads every row "as of" it (or now)


class PublishedFilterSet(django_filters.FilterSet):
    """The filters of a public page read from a publication ledger (``creditportal.models.publication``): the rows
    published now, or ``as_of`` a past moment, before any other filter. Bind it always (an unbound filter set would
    return the ledger whole, withdrawn rows included)."""

    as_of = AsOfFilter(label=_("As it stood on (optional)"))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.as_of(self.form.cleaned_data.get("as_of")))

    @property
    def moment(self):
        """The moment asked for, when it is a valid one; None: now."""
        return self.form.cleaned_data.get("as_of") if self.is_valid() else None


class PublicSearchFilterSet(PublishedFilterSet):
    """A public page's search by name or organisation code, on a ledger with ``subject_name``,
    ``subject_is_person`` and ``identifier`` (the masked snapshot): a code's beginning (four Latin letters or
    digits or more) on the code's pattern index alone, else a name contains it (trigram-indexed). A person's
    number is shown masked and never searched (``PublicListView`` turns it away before it reaches here)."""

    q = django_filters.CharFilter(label=_("Name or unified social credit code"), method="filter_q")

    def filter_q(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        if len(value) >= 4 and value.isascii() and value.isalnum():
            return queryset.filter(subject_is_person=False, identifier__startswith=value.upper())
        return queryset.filter(subject_name__icontains=value)
