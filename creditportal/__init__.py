"""creditportal: the project package and its cross-cutting code."""

from .celery import app as celery_app

__all__ = ["celery_app"]
