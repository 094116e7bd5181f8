"""The Celery application. With CELERY_BROKER_URL unset, tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")

app = Celery("creditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
