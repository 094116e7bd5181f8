"""The abstract base every model of the project inherits: timestamps, a version, django-simple-history, and
querysets that refuse writes which would skip the history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.core import checks
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: Set while a write goes through a helper that writes the history rows itself (creditportal.audit).
_history_written: ContextVar[bool] = ContextVar("history_written", default=False)


class WriteWithoutHistory(RuntimeError):
    """A programming error: a bulk write on a tracked model that would leave no history row (R-SEC-4)."""


@contextmanager
def history_written_by_caller() -> Iterator[None]:
    """Let the bulk writes inside the block through: the caller writes their history rows (only
    ``creditportal.audit.bulk_create_tracked`` / ``bulk_update_tracked`` and ``unguarded()`` use it)."""
    token = _history_written.set(True)
    try:
        yield
    finally:
        _history_written.reset(token)


def _refuse(method: str) -> None:
    if not _history_written.get():
        raise WriteWithoutHistory(
            f"QuerySet.{method}() on a tracked model writes no history (who, when, why: R-SEC-4). Save through "
            "a service (creditportal.audit.tracked_save), or use creditportal.audit.bulk_create_tracked / "
            "bulk_update_tracked. Nothing is hard-deleted."
        )


class TrackedQuerySet(models.QuerySet):
    """``update``, ``bulk_update``, ``bulk_create`` and ``delete`` write rows without their history (and without
    bumping the version), so they are refused unless a helper that writes the history is running (Open Zaak's
    BlockChangeMixin does the same). Django's own row save (``Model.save`` → ``_update``) is not affected."""

    def update(self, **kwargs: Any) -> int:
        _refuse("update")
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _refuse("bulk_update")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        _refuse("bulk_create")
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("delete")
        return super().delete()

    def unguarded(self) -> Unguarded:
        """For tests that set up a state no service would reach: ``Model.objects.filter(...).unguarded()
        .update(...)``. Production code never calls it (creditportal/tests/test_locking.py greps for it)."""
        return Unguarded(self)


class Unguarded:
    """The four refused writes of one queryset, let through (tests only: see ``TrackedQuerySet.unguarded``)."""

    def __init__(self, queryset: TrackedQuerySet) -> None:
        self.queryset = queryset

    def update(self, **kwargs: Any) -> int:
        with history_written_by_caller():
            return self.queryset.update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        with history_written_by_caller():
            return self.queryset.bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        with history_written_by_caller():
            return self.queryset.bulk_create(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        with history_written_by_caller():
            return self.queryset.delete()


TrackedManager = models.Manager.from_queryset(TrackedQuerySet)


class TrackedHistoricalRecords(HistoricalRecords):
    """simple-history's history, with one addition: a model that moved to another app keeps its history table
    (``history_db_table`` on the model, beside its ``Meta.db_table``), since an inherited history ignores
    ``HistoricalRecords(table_name=…)``; and a model may keep fields out of its history (``history_excluded_fields``:
    a secret only the live row holds, such as an encrypted identity number)."""

    def fields_included(self, model: Any) -> list[Any]:
        excluded = set(getattr(model, "history_excluded_fields", ()))
        return [f for f in super().fields_included(model) if f.name not in excluded]

    def get_meta_options(self, model: Any) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options(model)
        table = getattr(model, "history_db_table", None)
        if table:
            options["db_table"] = table
        return options


class TrackedModel(models.Model):
    """Timestamps, a version and a full history (who, when, why) for every row (R-SEC-4; HN 26, HN 34).

    Writes go through services that set ``_history_user`` and ``_change_reason``; the application never
    hard-deletes (admin delete is disabled; rows change status instead), and the querysets refuse the bulk
    writes that would skip the history (``TrackedQuerySet``). Every save adds one to the version, which
    update services compare with the version the user's page was opened at (``creditportal.locking``).
    A model whose ``version`` means something else names its counter in ``version_field``.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    version_field: ClassVar[str] = "version"

    objects = TrackedManager()
    #: The table of the model's history when it is not the default ``<app>_historical<model>`` (a moved model).
    history_db_table: ClassVar[str | None] = None
    history = TrackedHistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not update_fields:
                return super().save(*args, **kwargs)  # Django saves nothing: no new version either
            kwargs["update_fields"] = {*update_fields, self.version_field}
        before = self.row_version
        setattr(self, self.version_field, before + 1)
        try:
            super().save(*args, **kwargs)
        except BaseException:
            setattr(self, self.version_field, before)
            raise

    @property
    def row_version(self) -> int:
        """The optimistic-lock counter, whatever the model calls it (forms send it back as ``expected_version``)."""
        return getattr(self, self.version_field)


class DepartmentOwned(TrackedModel):
    """A case-bearing row: its indexed ``department`` is what scoping filters on (creditportal.permissions)."""

    department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=True,
    )

    class Meta:
        abstract = True


@checks.register(checks.Tags.models)
def check_tracked_managers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A tracked model that declares its own manager must still refuse writes that skip the history."""
    from django.apps import apps

    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(model, TrackedModel):
            continue
        for manager in model._meta.managers:
            if not isinstance(manager.get_queryset(), TrackedQuerySet):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{manager.name} does not return a TrackedQuerySet: its update(), "
                        "bulk_update(), bulk_create() and delete() would skip the history.",
                        hint="Build the manager from a subclass of creditportal.models.base.TrackedQuerySet.",
                        obj=model,
                        id="creditportal.E001",
                    )
                )
    return errors
