"""The one scoping mechanism: (user, model, action) → the rows the user may see or act on.

A user sees the rows of the departments where one of their roles grants the action (the indexed
``department`` foreign key), plus the exceptions shared with them through django-guardian object
permissions. Outside that scope a row answers 404; without the permission at all, 403.

Lists fetch the shared rows as a separate branch and merge the two top-N in Python: OR-ing the shares
into the main query stops PostgreSQL from walking the (department, order) index and costs hundreds of
milliseconds at a million rows, while two bounded queries stay in single milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cmp_to_key
from operator import itemgetter

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.mixins import AccessMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from guardian.models import GroupObjectPermission, UserObjectPermission

from .roles import ROLE_PERMISSIONS, permissions_for

_CACHE = "_creditportal_scope_cache"


def _cache(user) -> dict:
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


class RoleBackend(ModelBackend):
    """Password login as Django's ModelBackend; model permissions only from the roles in ``creditportal.roles``.

    Per-user and per-group model permissions are ignored: a right comes from a role or not at all.
    """

    # The cached frozenset itself is returned (immutable, so no caller can alter the cache); callers only test
    # membership. Django's stubs declare set[str].
    def get_all_permissions(self, user_obj, obj=None) -> frozenset[str]:  # type: ignore[override]  # a frozenset: roles are read-only; the base says set
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return frozenset()
        cache = _cache(user_obj)
        if "all" not in cache:
            roles = {role for _department, role in _memberships(user_obj)}
            cache["all"] = permissions_for(roles=roles, system_role=user_obj.system_role)
        return cache["all"]

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_module_perms(self, user_obj, app_label) -> bool:
        prefix = f"{app_label}."
        return any(p.startswith(prefix) for p in self.get_all_permissions(user_obj))


def perm_name(model: type[Model], action: str) -> str:
    """``(CreditSubject, "view")`` → ``"subjects.view_creditsubject"``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def department_ids_for(user, perm: str) -> frozenset[int]:
    """The departments where one of the user's active roles grants ``perm``."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = _cache(user)
    key = ("departments", perm)
    if key not in cache:
        cache[key] = frozenset(
            dept_id for dept_id, role in _memberships(user) if perm in ROLE_PERMISSIONS.get(role, frozenset())
        )
    return cache[key]


def active_roles(user) -> frozenset[str]:
    """The department roles ``user`` holds now (from the one memberships query of the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(role for _department, role in _memberships(user))


def first_department_id(user) -> int | None:
    """The department of the user's first active role (the access log's "department of the person")."""
    memberships = _memberships(user)
    return memberships[0][0] if memberships else None


def _memberships(user) -> tuple[tuple[int, str], ...]:
    """The user's active (department, role) pairs: one query per request, whatever number of permissions asked."""
    cache = _cache(user)
    if "memberships" not in cache:
        from .models import Membership

        # a role counts once active and confirmed by the department's head (issue 21)
        memberships = user.memberships.filter(Membership.IN_FORCE, department__is_active=True).order_by("pk")
        cache["memberships"] = tuple(memberships.values_list("department_id", "role"))
    return cache["memberships"]


def shared_pks(user, model: type[Model], perm: str) -> frozenset[int]:
    """Primary keys of the rows shared with the user (or their groups) through guardian for ``perm``.

    Shares are the exception (a case shared outside its department), so this is a short list.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = _cache(user)
    key = ("shared", perm)
    if key not in cache:
        codename = perm.split(".", 1)[1]
        ct = ContentType.objects.get_for_model(model)
        direct = UserObjectPermission.objects.filter(
            user=user,
            content_type=ct,
            permission__codename=codename,
        ).values_list("object_pk", flat=True)
        via_groups = GroupObjectPermission.objects.filter(
            group__user=user,
            content_type=ct,
            permission__codename=codename,
        ).values_list("object_pk", flat=True)
        # one query for both (issue 23: a list's queries at most 10)
        cache[key] = frozenset(int(pk) for pk in direct.union(via_groups))
    return cache[key]


def has_case_permission(user, model: type[Model], action: str = "view") -> bool:
    """True when the user may ``action`` at least some rows of ``model`` (a department role or a share)."""
    perm = perm_name(model, action)
    return bool(department_ids_for(user, perm) or shared_pks(user, model, perm))


def on_display(queryset: QuerySet) -> QuerySet:
    """Rows a case page, list or export may show: a model that declares ``hidden_from_casework`` (a ``Q``: the
    archived credit records, R-DIS-3) never shows those rows through the scope."""
    hidden = getattr(queryset.model, "hidden_from_casework", None)
    return queryset.exclude(hidden) if hidden is not None else queryset


def _own(model, departments) -> Q:
    """The rows of ``departments``: by the model's department, and by a second department field the model names
    in ``also_scoped_by``, a mapping of the field to the condition under which it gives access (an objection's
    assisting unit sees the objection it is asked to help verify until it replies, R-OBJ-3, issue 21)."""
    condition = Q(department_id__in=departments)
    for field, while_ in getattr(model, "also_scoped_by", {}).items():
        condition |= Q(**{f"{field}__in": departments}) & while_
    return condition


def scope_queryset(user, queryset: QuerySet, action: str = "view", *, include_archived: bool = False) -> QuerySet:
    """Narrow ``queryset`` to what ``user`` may ``action``: own departments by FK, plus guardian shares.

    Use it for single objects, exports and counts. For list pages use :func:`scoped_page`. Archived rows
    (``hidden_from_casework``) are left out unless ``include_archived`` (the auditors' logged archive view).
    """
    if not include_archived:
        queryset = on_display(queryset)
    model = queryset.model
    perm = perm_name(model, action)
    departments = department_ids_for(user, perm)
    shared = shared_pks(user, model, perm)
    if not departments and not shared:
        return queryset.none()
    condition = _own(model, departments)
    if shared:
        condition |= Q(pk__in=shared)
    return queryset.filter(condition)


#: A user of up to this many departments has a list's first keys found by one index walk per department (merged); a
#: user of more departments (a province-wide role) by one walk over them all, where most rows are the user's anyway.
SPLIT_DEPARTMENTS = 8


def scoped_page(
    user,
    queryset: QuerySet,
    *,
    ordering: Sequence[str],
    offset: int,
    limit: int,
    action: str = "view",
) -> list[Model]:
    """One page of the user's rows in ``ordering``: the own-department top-N and the shared top-N, merged.

    ``ordering`` must end with a unique field (``-pk``) so pages are stable. Archived rows are never listed.

    A deferred join (issue 23): the page's primary keys are found first, on the department's index and without the
    related rows the queryset joins (``select_related``), then only the page's rows are read with their joins by
    primary key; a deep page no longer joins every row it skips. One department without shares: one query (the keys
    a subquery). Otherwise each branch — each of the user's departments (up to ``SPLIT_DEPARTMENTS``), the shared
    rows — finds its first keys on its own index walk, in one ``UNION ALL``, and the keys are merged in Python before
    the page is read: a walk over all of the user's departments at once scans the primary key backwards past every
    newer row of the departments the user does not see (measured: 45 ms, growing with the other departments' data,
    for a user of the two bench departments once a third held 100,000 newer records; one walk each, a few ms).
    """
    queryset = on_display(queryset)
    model = queryset.model
    perm = perm_name(model, action)
    departments = department_ids_for(user, perm)
    shared = shared_pks(user, model, perm)
    end = offset + limit
    if len(departments) == 1 and not shared:
        own = queryset.filter(_own(model, departments)).order_by(*ordering)
        return list(queryset.filter(pk__in=own.values("pk")[offset:end]).order_by(*ordering))
    fields = ["pk", *(field.lstrip("-") for field in ordering)]
    walks = [[department] for department in departments] if len(departments) <= SPLIT_DEPARTMENTS else [departments]
    branches = [queryset.filter(_own(model, walk)) for walk in walks if walk]
    if shared:
        branches.append(
            queryset.filter(pk__in=shared).exclude(_own(model, departments))
            if departments
            else queryset.filter(pk__in=shared)
        )
    if not branches:
        return []
    firsts = [branch.order_by(*ordering).values_list(*fields)[:end] for branch in branches]
    union = firsts[0].union(*firsts[1:], all=True) if len(firsts) > 1 else firsts[0]
    keys = list({key[0]: key for key in union}.values())  # a row two branches found (owned and assisted), once
    keys.sort(key=cmp_to_key(_comparator(ordering)))
    pks = [key[0] for key in keys[offset:end]]
    if not pks:
        return []
    rows = {row.pk: row for row in queryset.filter(pk__in=pks)}
    return [rows[pk] for pk in pks if pk in rows]


def _comparator(ordering: Sequence[str]):
    """Compare two rows' keys, (pk, the ordering's values in order) as ``values_list`` reads them, as the database
    would for ``ordering`` (NULLs last ascending, first descending)."""
    getters = [(itemgetter(position), field.startswith("-")) for position, field in enumerate(ordering, start=1)]

    def compare(a, b) -> int:
        for getter, descending in getters:
            x, y = getter(a), getter(b)
            if x == y:
                continue
            if x is None or y is None:
                result = 1 if x is None else -1  # NULL is larger, as in PostgreSQL
            else:
                result = -1 if x < y else 1
            return -result if descending else result
        return 0

    return compare


class ScopedViewMixin(AccessMixin):
    """Apply the scope before any object is fetched: out of scope → 404; no permission at all → 403.

    Declare ``model`` (or ``queryset``) and ``scope_action`` ("view", "change", "add").
    """

    scope_action = "view"
    model: type[Model] | None = None
    queryset: QuerySet | None = None
    request: HttpRequest  # set by the View this mixin is combined with

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_case_permission(request.user, self.get_scope_model(), self.scope_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # the View's, after this mixin

    def get_scope_model(self) -> type[Model]:
        if self.model is not None:
            return self.model
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares neither model nor queryset.")
        return self.queryset.model

    def get_queryset(self) -> QuerySet:
        base = self.queryset.all() if self.queryset is not None else self.get_scope_model()._default_manager.all()
        return scope_queryset(self.request.user, base, self.scope_action)


def provincial_authority_ids(user, perm: str) -> frozenset[int]:
    """Who is the provincial credit authority, for this user: the province-level credit-authority departments
    where one of the user's roles grants ``perm`` (it drafts the catalog and re-examines designations)."""
    from .choices import DepartmentKind, DepartmentLevel
    from .models import Department

    allowed = department_ids_for(user, perm)
    if not allowed:
        return frozenset()
    return frozenset(
        Department.objects.filter(
            pk__in=allowed, level=DepartmentLevel.PROVINCE, kind=DepartmentKind.CREDIT_AUTHORITY
        ).values_list("pk", flat=True)
    )


def acting_department_id(
    user, perm: str, *, subject_department_id: int | None = None, chosen_id: int | None = None
) -> int:
    """The department a user acts for on a subject's case: the one they chose (if they hold ``perm`` there),
    else the subject's own department when they work there, else their only department with ``perm``.

    Never a guess: a user of several departments must choose. Raises PermissionDenied or ValidationError.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    allowed = department_ids_for(user, perm)
    if not allowed:
        raise PermissionDenied(_("You have no role that allows this."))
    if chosen_id is not None:
        if chosen_id not in allowed:
            raise PermissionDenied(_("You cannot act for this department."))
        return chosen_id
    if subject_department_id is not None and subject_department_id in allowed:
        return subject_department_id
    if len(allowed) == 1:
        return next(iter(allowed))
    raise ValidationError({"department": _("You work in several departments: choose the one that acts.")})
