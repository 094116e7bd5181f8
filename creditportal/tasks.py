"""Celery tasks of the cross-cutting code: thin, they load by id and call a service or selector."""
import socket

from celery import shared_task
from django.db import connection

from .models import Department


@shared_task(name="creditportal.system_health")
def system_health_task() -> dict:
    """Answer from a worker: its host, whether it reaches the database, and how many departments it sees.

    Operators run ``celery -A creditportal call creditportal.system_health`` to check a worker end to end
    (broker → worker → PostgreSQL → result).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database_ok = cursor.fetchone()[0] == 1
    return {"worker": socket.gethostname(), "database": database_ok, "departments": Department.objects.count()}
