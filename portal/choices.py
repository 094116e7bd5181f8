"""Choices of the subject portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Matter(models.TextChoices):
    """What an agent may do for an organisation in the portal (issue 22: an authorisation covers all matters or named
    ones, as the electronic business licence's does). Its legal representative does all of them."""

    INFORMATION = "information", _("Its information on display, its listings and who looked at it")
    DOCUMENTS = "documents", _("Its documents: read and download them")
    REPORTS = "reports", _("Its credit reports: ask for them and download them")
    OBJECTIONS = "objections", _("Objections: file them and follow them")
    RESTORATION = "restoration", _("Credit restoration: apply and follow the applications")


#: Every matter: what a subject does for itself and a legal representative for its organisation.
ALL_MATTERS = frozenset(Matter.values)
