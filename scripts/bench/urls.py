"""The bench's URLconf: the application's, and the bare page the lists are compared with (issue 23: one PostgreSQL
query, a 25-row table rendered by a template, through the same middleware and the same gunicorn)."""

from django.shortcuts import render
from django.urls import include, path

from subjects.models import CreditSubject


def bare(request):
    rows = CreditSubject.objects.order_by("-pk").values("pk", "name", "kind", "id_number", "created_at")[:25]
    return render(request, "bench/bare.html", {"rows": rows})


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("creditportal.urls")),
]
