"""The subject portal (issue 22): its sign-in (a one-time code sent out of band to the address the subject signed
for) and the agents an organisation's legal representative authorises."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creditportal.models.base import DepartmentOwned, TrackedQuerySet

from .choices import ALL_MATTERS, Matter


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
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="signincode_subject_idx"),
            # the hour's codes sent to one address, whoever they were for (PORTAL_SIGNIN_CODES_PER_ADDRESS)
            models.Index(fields=["address", "-created_at"], name="signincode_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} · {self.created_at:%Y-%m-%d %H:%M}"


class AgentAuthorisationQuerySet(TrackedQuerySet):
    def in_force(self, day: datetime.date) -> AgentAuthorisationQuerySet:
        """In force on ``day``: begun by then, not expired (``expires_on`` is the last day it is in force), and not
        withdrawn (a withdrawal takes effect the moment it is recorded)."""
        return self.filter(valid_from__lte=day, expires_on__gte=day, withdrawn_at__isnull=True)


class AgentAuthorisation(DepartmentOwned):
    """An organisation's authorisation of an agent to act for it in the portal (issue 22, as the electronic business
    licence's authorisations): a natural person, for all matters or named ones (``portal.choices.Matter``), from
    ``valid_from`` to ``expires_on`` inclusive, granted by its legal representative. The organisation's, not the
    representative's: it stays when the representative changes, and the one in office may withdraw it. Withdrawn or
    expired, it allows nothing from that moment; nothing is deleted. ``department`` is the organisation's."""

    organisation = models.ForeignKey(
        "subjects.CreditSubject",
        on_delete=models.PROTECT,
        related_name="agent_authorisations",
        verbose_name=_("organisation"),
    )
    agent = models.ForeignKey(
        "subjects.CreditSubject", on_delete=models.PROTECT, related_name="agencies", verbose_name=_("agent")
    )
    all_matters = models.BooleanField(_("all matters"), default=False)
    #: The named matters (``Matter`` values) when not ``all_matters``.
    matters = models.JSONField(_("matters"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    expires_on = models.DateField(_("expires on"), help_text=_("The last day the authorisation is in force."))
    granted_by = models.ForeignKey(
        "subjects.CreditSubject", on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "subjects.CreditSubject",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    objects: ClassVar = AgentAuthorisationQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("agent's authorisation")
        verbose_name_plural = _("agents' authorisations")
        indexes = [models.Index(fields=["agent", "expires_on"], name="agentauth_agent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("expires_on")),
                name="agentauth_period_ordered",
                violation_error_message=_("The authorisation expires before it begins."),
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("agent")),
                name="agentauth_not_self",
                violation_error_message=_("An organisation is not its own agent."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(agent)s for %(organisation)s, until %(until)s") % {
            "agent": self.agent.name,
            "organisation": self.organisation.name,
            "until": self.expires_on.isoformat(),
        }

    @property
    def covered(self) -> frozenset[str]:
        """The matters this authorisation covers."""
        return ALL_MATTERS if self.all_matters else frozenset(self.matters)

    def matter_labels(self) -> list[str]:
        """The matters as the page names them, in the list's order."""
        return [str(label) for value, label in Matter.choices if value in self.covered]

    def state(self, day: datetime.date) -> str:
        """In force, not yet in force, expired or withdrawn on ``day`` (for the page; ``in_force`` is what decides)."""
        if self.withdrawn_at:
            return str(_("Withdrawn"))
        if day > self.expires_on:
            return str(_("Expired"))
        if day < self.valid_from:
            return str(_("Not yet in force"))
        return str(pgettext_lazy("authorisation", "In force"))

    @property
    def masked_agent_name(self) -> str:
        """R-DIS-4: the agent named as the organisation's pages show a person (the surname, the rest starred)."""
        from creditportal.masking import mask_name

        return mask_name(self.agent.name)
