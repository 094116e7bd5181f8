"""Reads of the cross-cutting data, always scoped."""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count

from .models import Department
from .permissions import department_ids_for, perm_name

#: What the dashboard counts, per department: (model label, URL name of its list).
DASHBOARD_MODELS = (
    ("subjects.creditsubject", "subject_list"),
    ("subjects.creditrecord", "record_list"),
    ("designations.designation", "designation_list"),
    ("objections.objection", "objection_list"),
    ("restoration.restorationapplication", "restoration_list"),
)
DASHBOARD_CACHE_SECONDS = 300


@dataclass
class DepartmentCounts:
    department: Department
    counts: list[tuple[str, str, int]]  # (label, list URL name, count)


def dashboard_counts(*, user) -> list[DepartmentCounts]:
    """Row counts per department the user may view, each count cached for a few minutes.

    A count over a department's hundreds of thousands of rows is an index-only scan; caching keeps the
    dashboard from repeating it on every visit.
    """
    by_department: dict[int, list[tuple[str, str, int]]] = {}
    for label, url_name in DASHBOARD_MODELS:
        model = apps.get_model(label)
        departments = sorted(department_ids_for(user, perm_name(model, "view")))
        if not departments:
            continue
        key = f"dashboard:{label}:{','.join(map(str, departments))}"
        counts = cache.get(key)
        if counts is None:
            counts = dict(
                model._default_manager.filter(department_id__in=departments)
                .values("department_id").annotate(n=Count("id")).values_list("department_id", "n")
            )
            cache.set(key, counts, DASHBOARD_CACHE_SECONDS)
        for department_id in departments:
            by_department.setdefault(department_id, []).append(
                (model._meta.verbose_name_plural, url_name, counts.get(department_id, 0))
            )
    by_pk = Department.objects.in_bulk(by_department.keys())
    return [DepartmentCounts(by_pk[d], by_department[d]) for d in sorted(by_department, key=lambda d: by_pk[d].code)]


def user_memberships(*, user):
    return user.memberships.filter(is_active=True).select_related("department").order_by("department__code")
