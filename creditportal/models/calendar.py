"""The official PRC working-day calendar as data (creditportal.workdays does the arithmetic)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import CalendarDayKind
from .base import TrackedModel


class CalendarYear(TrackedModel):
    """A year whose official schedule of days off and make-up days is loaded.

    A date in a year that is not loaded is provisional: never computed with weekends only.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("The State Council notice, or the library."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(TrackedModel):
    """A weekday that is off (statutory holiday) or a weekend day that is worked (make-up day)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("holiday"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        # ``name`` is chinesecalendar's English holiday name, a message id (creditportal.workdays.HOLIDAY_NAMES).
        return f"{self.date} {self.get_kind_display()} {gettext(self.name) if self.name else ''}".strip()
