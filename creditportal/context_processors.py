"""Template context shared by every page."""
from django.conf import settings


def portal(request) -> dict:
    return {"CREDIT_JURISDICTION": settings.CREDIT_JURISDICTION}
