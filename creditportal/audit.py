"""Audit helpers: the system user, the attributable save, and the timeline event (R-SEC-4; HN 26, HN 34).

Every write in a service goes through :func:`tracked_save` (simple-history records the actor and reason)
and :func:`record_event` (the namespaced action on the case's timeline).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import AuditEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .models.base import TrackedModel, history_written_by_caller

T = TypeVar("T", bound=TrackedModel)

SYSTEM_USERNAME = "system"

#: Readable labels of action codes, registered by each app (shown on timelines; the code stays beside it).
_ACTION_LABELS: dict[str, StrOrPromise] = {}


def register_action_labels(labels: Mapping[str, StrOrPromise]) -> None:
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(_ACTION_LABELS.get(action, ""))


def system_user():
    """The account that sweeps and imports act as; it cannot log in."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "is_active": True},
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
    _attribute(obj, actor=actor, reason=reason)
    obj.save(**save_kwargs)
    return obj


def _attribute(obj: models.Model, *, actor, reason: str) -> None:
    # simple-history reads these two instance attributes when it writes the history row; no Model declares them.
    obj._history_user = actor  # type: ignore[attr-defined]  # simple-history reads these set-on-the-fly attributes
    obj._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads these set-on-the-fly attributes


def _one_model(objs: list[T]) -> type[T]:
    models_given = {type(obj) for obj in objs}
    if len(models_given) != 1:
        raise ValueError("A bulk write takes rows of one model.")
    return models_given.pop()


@transaction.atomic
def bulk_create_tracked(objs: Iterable[T], *, actor, reason: str, batch_size: int | None = None) -> list[T]:
    """Insert many rows at once, each with its history row naming ``actor`` and ``reason`` (R-SEC-4).

    The one way past ``TrackedQuerySet.bulk_create``. Like ``Model.save``, each row starts at version 1.
    """
    objs = list(objs)
    if not reason:
        raise ValueError("Every change needs a reason.")
    if not objs:
        return []
    model = _one_model(objs)
    for obj in objs:
        _attribute(obj, actor=actor, reason=reason)
        setattr(obj, obj.version_field, obj.row_version + 1)
    with history_written_by_caller():
        return bulk_create_with_history(
            objs, model, batch_size=batch_size, default_user=actor, default_change_reason=reason
        )


def _plain_types(field: models.Field) -> tuple[type, ...]:
    """The Python types whose value is, for this field, its database value as it is (Django's own field kinds on
    PostgreSQL: a string for text, an int for a number or a key, a date for a date, an aware datetime for a moment);
    ``insert_tracked`` passes such values to COPY without asking the field. Empty for a field of ours (one that seals
    or encodes its value) or any other kind: asked every time."""
    if not type(field).__module__.startswith("django.db.models"):
        return ()
    if isinstance(field, models.DateTimeField):
        return (datetime.datetime, type(None))
    if isinstance(field, models.DateField):
        return (datetime.date, type(None)) if not field.auto_now and not field.auto_now_add else ()
    if isinstance(field, models.CharField | models.TextField):
        return (str, type(None))
    if isinstance(field, models.BooleanField):
        return (bool, type(None))
    if isinstance(field, models.IntegerField | models.ForeignKey):
        return (int, type(None))
    return ()


@transaction.atomic
def insert_tracked(objs: Iterable[T], *, actor, reason: str) -> list[T]:
    """Insert many new rows of one model, with their history rows, in three SQL statements (issue 23: a batch import's
    thousands of records a second): the rows' keys drawn from the table's sequence at once, the rows sent by
    ``COPY … FROM STDIN`` (psycopg formats them in C: no SQL text, no parameter per value), and one ``INSERT … SELECT``
    copying them into the history table as their creation by ``actor`` for ``reason`` (R-SEC-4), which the audit
    ledger copies in turn (its per-statement trigger, as the feed's capture trigger, fires for a COPY as for an
    INSERT). The objects get their primary keys. Django's ``bulk_create`` and simple-history's
    ``bulk_history_create`` build SQL text with a parameter per field for every row."""
    objs = list(objs)
    if not reason:
        raise ValueError("Every change needs a reason.")
    if not objs:
        return []
    if connection.vendor != "postgresql":  # the quick start's SQLite: no COPY, the portable bulk write
        return bulk_create_tracked(objs, actor=actor, reason=reason)
    model = _one_model(objs)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    quote = connection.ops.quote_name
    pk = str(meta.pk.column)
    table = str(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(objs)]
        )
        keys = [row[0] for row in cursor.fetchall()]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    version = next((f for f in fields if f.name == model.version_field), None)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        for f in stamped:
            setattr(obj, f.attname, now)
        if version is not None:
            setattr(obj, version.attname, obj.row_version + 1)
    plain = [_plain_types(f) for f in fields]
    attnames = [f.attname for f in fields]

    def values(obj):
        row = [obj.pk]
        for f, name, types in zip(fields, attnames, plain, strict=True):
            value = getattr(obj, name)
            # a datetime is a date too: a date column takes only a date as it is
            if type(value) not in types and not (types and isinstance(value, str) and str in types):
                value = f.get_db_prep_save(f.pre_save(obj, add=True), connection)
            row.append(value)
        return row

    columns = [pk, *(str(f.column) for f in fields)]
    with (
        history_written_by_caller(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"  # noqa: S608 — model names
        ) as copy,
    ):
        for obj in objs:
            copy.write_row(values(obj))
    _history_from_rows(model, keys, history_type="+", actor=actor, reason=reason, at=now)
    for obj in objs:
        obj._state.adding = False
    return objs


def _history_from_rows(model: type[TrackedModel], keys: Sequence[int], *, history_type: str, actor, reason: str, at):
    """One ``INSERT … SELECT`` writing the history row of each of ``model``'s rows ``keys`` as the table holds it now
    (``+`` created, ``~`` changed) by ``actor`` for ``reason`` (R-SEC-4), in key order; the audit ledger copies them
    in turn (its per-statement trigger). The bulk writes' history: no Python object per history row (simple-history's
    ``bulk_history_create`` builds one, and SQL text with a parameter per field, for each)."""
    quote = connection.ops.quote_name
    meta = model._meta
    history = model.history.model._meta
    in_history = {f.column for f in history.concrete_fields}
    kept = ", ".join(quote(str(f.column)) for f in meta.concrete_fields if f.column in in_history)
    pk = quote(str(meta.pk.column))
    values: list = list(keys)
    if connection.vendor == "postgresql":
        where, values = f"{pk} = ANY(%s)", [values]  # one array parameter, however many keys
    else:  # the quick start's SQLite
        where = f"{pk} IN ({', '.join(['%s'] * len(values))})"
    with history_written_by_caller(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(str(history.db_table))} ({kept}, history_date, "  # noqa: S608 — model names
            f"history_change_reason, history_type, history_user_id) SELECT {kept}, %s, %s, %s, %s "
            f"FROM {quote(str(meta.db_table))} WHERE {where} ORDER BY {pk}",
            [at, reason, history_type, getattr(actor, "pk", None), *values],
        )


@transaction.atomic
def bulk_update_tracked(
    objs: Iterable[T], fields: Sequence[str], *, actor, reason: str, batch_size: int | None = None
) -> int:
    """Update ``fields`` of many rows at once, each with its history row naming ``actor`` and ``reason``
    (R-SEC-4). The one way past ``TrackedQuerySet.bulk_update``: each row's version goes up by one and its
    ``updated_at`` is now, as a save would do. The caller has locked the rows (``select_for_update``)."""
    objs = list(objs)
    if not reason:
        raise ValueError("Every change needs a reason.")
    if not objs:
        return 0
    model = _one_model(objs)
    now = timezone.now()
    for obj in objs:
        _attribute(obj, actor=actor, reason=reason)
        setattr(obj, obj.version_field, obj.row_version + 1)
        obj.updated_at = now
    fields = list(dict.fromkeys([*fields, model.version_field, "updated_at"]))
    attnames = {
        name: getattr(model._meta.get_field(name), "attname", name) for name in fields if name != model.version_field
    }
    first = objs[0]
    uniform = {
        name: getattr(first, a) for name, a in attnames.items() if all(getattr(o, a) == getattr(first, a) for o in objs)
    }
    with history_written_by_caller():
        if len(uniform) == len(attnames):
            # Every field but the version has one value for all rows (a daily expiry, a bulk archive): one
            # UPDATE … SET per batch, the version raised in SQL (the caller holds the row locks, so version + 1 is
            # each object's new version), instead of a CASE WHEN per row and field (Django's bulk_update), whose
            # cost grows with rows × fields in Python and with the square of the batch in PostgreSQL.
            # The history rows are then copied from the table in one INSERT … SELECT (``_history_from_rows``).
            size = batch_size or 5000
            count = 0
            keys = [o.pk for o in objs]
            with transaction.atomic(savepoint=False):
                for start in range(0, len(objs), size):
                    count += model._default_manager.filter(pk__in=keys[start : start + size]).update(
                        **uniform, **{model.version_field: models.F(model.version_field) + 1}
                    )
                _history_from_rows(model, keys, history_type="~", actor=actor, reason=reason, at=now)
            return count
        return bulk_update_with_history(
            objs, model, fields, batch_size=batch_size, default_user=actor, default_change_reason=reason
        )


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


def record_events(
    *,
    action: str,
    actor,
    department,
    model: type[models.Model],
    object_ids: Sequence[int],
    reason: str,
    at,
    data: Sequence[Mapping[str, Any]] | None = None,
) -> int:
    """Append one timeline event per object of ``model`` in one ``INSERT … SELECT FROM unnest`` (issue 23: a batch
    import's thousands of records a second), each as :func:`record_event` would write it; ``data``, when given, is
    each object's details, in the order of ``object_ids``. ``department`` is the events' department, or a sequence
    of each object's (a job across departments: the daily expiry)."""
    if not object_ids:
        return 0
    details = (
        [json.dumps(d, ensure_ascii=False, cls=DjangoJSONEncoder) for d in data] if data else ["{}"] * len(object_ids)
    )
    departments = (
        list(department)
        if isinstance(department, Sequence) and not isinstance(department, str)
        else [getattr(department, "pk", department)] * len(object_ids)
    )
    content_type = ContentType.objects.get_for_model(model)
    if connection.vendor != "postgresql":  # the quick start's SQLite: no unnest, the portable bulk insert
        events = [
            AuditEvent(
                at=at,
                actor_id=getattr(actor, "pk", None),
                action=action,
                department_id=department_id,
                content_type=content_type,
                object_id=str(pk),
                reason=reason,
                data=json.loads(detail),
            )
            for pk, detail, department_id in zip(object_ids, details, departments, strict=True)
        ]
        return len(AuditEvent.objects.bulk_create(events))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} "  # noqa: S608 — the model's table
            "(at, actor_id, action, department_id, content_type_id, object_id, reason, data) "
            "SELECT %s, %s, %s, p, %s, o, %s, d::jsonb FROM unnest(%s::text[], %s::text[], %s::bigint[]) AS u(o, d, p)",
            [
                at,
                getattr(actor, "pk", None),
                action,
                content_type.pk,
                reason,
                [str(pk) for pk in object_ids],
                details,
                departments,
            ],
        )
        return cursor.rowcount


def timeline(target: models.Model):
    """Events about one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
    ).select_related("actor")


def routed_receipt(*, user, model, pk, action: str) -> dict | None:
    """What a caseworker who received a case that went at once to another department is told on the receive page
    (a complaint routed to the credit authority, R-OBJ-7; a restoration application routed to the deciding
    department, R-RES-1): the case's number, where it went, when, and the routing's own data. Told only to that
    caseworker (the routing event's actor): the case itself is outside the receiving department's scope."""
    from .models import Department

    if not str(pk or "").isdigit() or not user.is_authenticated:
        return None
    event = (
        AuditEvent.objects.filter(
            action=action, actor=user, content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        )
        .order_by("pk")
        .first()
    )
    if event is None:
        return None
    data = event.data or {}
    department = Department.objects.filter(pk=data["routed_to"]).first() if data.get("routed_to") else None
    return {
        "number": pk,
        "at": event.at,
        "received_in": data.get("received_in_name", ""),
        "department": department.display_name if department else data.get("routed_to_name", ""),
        "reason": event.reason,
        "data": data,
    }


#: A document's own events (``creditportal.documents``): the act that issued or served it says the same.
_DOCUMENT_EVENT = re.compile(r"^creditportal\.document\.[a-z_]+\.(issued|served)$")


def case_timeline(target: models.Model, *, limit: int = 100) -> list[AuditEvent]:
    """A case page's timeline: one line per act, newest first. The event a document writes when it is issued or
    served is folded into the act that issued or served it (the same person's nearest act on the case within a
    minute), its number shown on that line (``event.document_number``); a document event with no such act stays
    a line of its own."""
    events = list(timeline(target)[:limit])
    acts = [event for event in events if not _DOCUMENT_EVENT.match(event.action)]
    shown = []
    for event in events:
        if _DOCUMENT_EVENT.match(event.action):
            near = [
                act for act in acts if act.actor_id == event.actor_id and abs((act.at - event.at).total_seconds()) < 60
            ]
            if near:
                owner = min(near, key=lambda act: abs((act.at - event.at).total_seconds()))
                number = (event.data or {}).get("number")
                owner.document_number = getattr(owner, "document_number", None) or number
                continue
        shown.append(event)
    return shown
