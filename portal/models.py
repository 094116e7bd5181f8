"""The subject portal's sign-in (issue 22): a one-time code sent out of band to the address the subject signed for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInCode(models.Model):
    """A one-time code sent to a subject's consented electronic address to sign in to the portal: kept only as a
    keyed hash, valid for minutes, a few tries, used once. A credential, not a record: its sending and its use are
    audit events."""

    subject = models.ForeignKey(
        "subjects.CreditSubject", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    address = models.EmailField(_("sent to"))
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("portal sign-in code")
        verbose_name_plural = _("portal sign-in codes")
        indexes = [models.Index(fields=["subject", "-created_at"], name="signincode_subject_idx")]

    def __str__(self) -> str:
        return f"{self.subject_id} · {self.created_at:%Y-%m-%d %H:%M}"
