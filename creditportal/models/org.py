"""Departments, users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import DepartmentKind, DepartmentLevel, Role, SystemRole
from .base import TrackedModel


class Department(TrackedModel):
    """A government department at province, prefecture or county level."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Official (Chinese) name."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    document_prefix = models.CharField(
        _("document number prefix"),
        max_length=32,
        blank=True,
        help_text=_("For example 琼信用: numbers read 琼信用〔2026〕12号."),
    )
    level = models.CharField(_("level"), max_length=16, choices=DepartmentLevel.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent department"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Where subjects send statements and defences; printed on notices."),
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Contact person and telephone for statements; printed on notices."),
    )
    government = models.CharField(
        _("people's government at the same level"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example 海口市人民政府: it hears administrative reconsideration of this department's decisions "
            "(Administrative Reconsideration Law, revised 2023, art. 24)."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province") | models.Q(parent__isnull=False),
                name="department_below_province_has_parent",
                violation_error_message=_("A prefecture or county department needs a parent department."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The English name in the English interface when there is one; the official name otherwise."""
        if self.name_en and not (get_language() or "").startswith("zh"):
            return self.name_en
        return self.name


class User(AbstractUser):
    """A person who logs in. Case work comes from memberships; administration from ``system_role``."""

    system_role = models.CharField(
        _("system role"),
        max_length=32,
        choices=SystemRole.choices,
        blank=True,
        default=SystemRole.NONE,
    )
    must_change_password = models.BooleanField(
        _("must change password at next login"),
        default=False,
        help_text=_("Set when the security administrator sets the password; cleared when its user changes it."),
    )
    departments = models.ManyToManyField(
        Department,
        through="Membership",
        through_fields=("user", "department"),
        related_name="users",
        verbose_name=_("departments"),
    )

    # Who changed an account, when and why; the password hash and login stamp are not copied into history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    # The stubs type AbstractUser.Meta's names as str; Django takes lazy text there like on any model.
    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]  # the stubs type AbstractUser's Meta as str
        verbose_name_plural = _("users")  # type: ignore[assignment]  # the stubs type AbstractUser's Meta as str

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def get_full_name(self) -> str:
        """Chinese names read family name first, without a space (林小燕); others as Django does. The account
        sweeps and imports act as (creditportal.audit.system_user, named "System") is named in the user's
        language."""
        if self.username == "system" and not self.has_usable_password():
            return str(_("System"))
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return super().get_full_name()


class Membership(TrackedModel):
    """A user's role in one department. Scoping uses the departments whose role grants the action."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    #: Issue 21 (R-SEC-6): a role given in the administration counts only once a head of the department confirmed
    #: it (``creditportal.accounts.membership_confirm``); the operator confirms at the console where there is no
    #: head yet. Given anew, changed or reactivated: waits again.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("confirmed by"),
    )

    #: The memberships that give their role now: active and confirmed (``creditportal.permissions``).
    IN_FORCE = models.Q(is_active=True, confirmed_at__isnull=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="membership_unique_role"),
        ]
        permissions = [("confirm_membership", _("Can confirm a department role given in the administration"))]

    @property
    def awaits_confirmation(self) -> bool:
        return self.is_active and self.confirmed_at is None

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class SecondFactorReset(TrackedModel):
    """A case user's second factor reset (a lost phone, no recovery code left), four-eyed (issue 21; GB/T 22239-2019
    8.1.4.1 d): one security administrator asks, with the reason; another confirms, and only then are the user's
    authenticator and recovery codes removed, so his next sign-in sets up a new one. ``creditportal.accounts``."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"))
    confirmed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("withdrawn by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("second factor reset")
        verbose_name_plural = _("second factor resets")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(confirmed_at__isnull=True, withdrawn_at__isnull=True),
                name="secondfactorreset_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.requested_at:%Y-%m-%d}" if self.requested_at else str(self.user)
