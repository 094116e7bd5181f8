"""One row per form submission that created something: a double submit creates one object."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmitToken(models.Model):
    """The hidden ``submit_token`` of a create form, recorded in the same transaction as what it created.

    The unique token is the guard (``creditportal.idempotency``): a second submission of the same page waits on
    the first's row and then finds it, with the address of what the first created. Not a ``TrackedModel``: a
    token is a technical receipt, not case data; it has no history and is never changed by a person."""

    token = models.CharField(_("submission token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    path = models.CharField(_("page"), max_length=2000)
    result_url = models.CharField(_("what it created"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.token
