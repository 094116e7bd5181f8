"""Audit helpers: the system user, the attributable save, and the timeline event (R-SEC-4; HN 26, HN 34).

Every write in a service goes through :func:`tracked_save` (simple-history records the actor and reason)
and :func:`record_event` (the namespaced action on the case's timeline).
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import AuditEvent

SYSTEM_USERNAME = "system"

#: Readable labels of action codes, registered by each app (shown on timelines; the code stays beside it).
_ACTION_LABELS: dict[str, str] = {}


def register_action_labels(labels: dict[str, str]) -> None:
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return _ACTION_LABELS.get(action, "")


def system_user():
    """The account that sweeps and imports act as; it cannot log in."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "System", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system_user(user) -> bool:
    """The account sweeps and imports act as: it has no password and is named ``system``."""
    return bool(user and user.username == SYSTEM_USERNAME and not user.has_usable_password())


def tracked_save(obj: models.Model, *, actor, reason: str, validate: bool = True, **save_kwargs) -> models.Model:
    """Validate and save ``obj`` so its history row names ``actor`` and ``reason``."""
    if not reason:
        raise ValueError("Every change needs a reason.")
    if validate:
        obj.full_clean()
    # simple-history reads these two instance attributes when it writes the history row; no Model declares them.
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save(**save_kwargs)
    return obj


def record_event(
    *,
    action: str,
    actor,
    target: models.Model | None = None,
    department=None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at=None,
) -> AuditEvent:
    """Append one event to the timeline. ``action`` is namespaced: ``subjects.subject.created``."""
    if department is None and target is not None:
        department = getattr(target, "department", None)
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=actor,
        action=action,
        department=department,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        reason=reason,
        data=data or {},
    )


def timeline(target: models.Model):
    """Events about one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
    ).select_related("actor")
