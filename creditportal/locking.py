"""The one optimistic lock: every update service locks the row and compares its version with the version the
user's page was opened at (the form's hidden ``expected_version``). Every save of a tracked model adds one to
the version (``creditportal.models.base.TrackedModel.save``), so any change in between is noticed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .models.base import TrackedModel

T = TypeVar("T", bound=TrackedModel)


class ConcurrentChange(ValidationError):
    """Someone else changed the row after the user opened the page: nothing was saved."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this after you opened it. Nothing was saved: reload the page and "
                "make your change again."
            ),
            code="concurrent",
        )


def check_version(
    obj: TrackedModel, expected_version: int | None, message: str | Callable[[TrackedModel], str] | None = None
) -> None:
    """Refuse when ``obj`` (locked by the caller) is no longer at ``expected_version``; ``None`` checks nothing
    (a service called by another service or by a sweep, which locked the row itself)."""
    if expected_version is None or obj.row_version == expected_version:
        return
    raise ConcurrentChange(message(obj) if callable(message) else message)


def lock(
    model_or_queryset: type[T] | models.QuerySet[T],
    pk,
    *,
    expected_version: int | None,
    message: str | Callable[[T], str] | None = None,
) -> T:
    """The row ``pk``, locked (``select_for_update``) until the transaction ends, and still at
    ``expected_version``. A queryset narrows it (scoping, ``select_related``): a row outside it is not found.
    ``message`` (or a function of the locked row giving it) says more than the default refusal."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = cast("models.QuerySet[T]", model_or_queryset._default_manager.all())
    obj = queryset.select_for_update().get(pk=pk)
    check_version(obj, expected_version, message)  # type: ignore[arg-type]  # the callable takes the row's type
    return obj
