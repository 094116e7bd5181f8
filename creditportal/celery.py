"""The Celery application. With CELERY_BROKER_URL unset, tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")

from .logging import connect_signals  # noqa: E402

app = Celery("creditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task logs under the id of the request that queued it (creditportal.logging).
connect_signals()
