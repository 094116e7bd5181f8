"""The deployment's jurisdiction profile (RULES.md "Jurisdiction profile values"), and its values.

Code asks the profile, never a literal: a value the regulation leaves unset makes the act that needs it
refuse, naming the missing value, until the system administrator fills it in (with its source).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import JurisdictionProfile

CACHE_KEY = "creditportal:profile:v1:%s"


def profile_for(code: str) -> JurisdictionProfile | None:
    """The profile of jurisdiction ``code`` (cached for a minute; ``forget_profiles`` after an edit)."""
    key = CACHE_KEY % code
    profile = cache.get(key)
    if profile is None:
        profile = JurisdictionProfile.objects.filter(code=code).first()
        if profile is not None:
            cache.set(key, profile, 60)
    return profile


#: Within a request the profile in force is read once (``memoised``, opened by
#: ``creditportal.middleware.ProfileMemoMiddleware``): a page that cites the deployment's articles row by row (the
#: deadlines page: a citation per clock) read the profile and the province's rule sets from the cache for each row,
#: two Redis round trips a row in production (issue 23, "cache what does not change within a request"). Outside a
#: request (a Celery task, a command) every call reads afresh, as before.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("creditportal_profile_memo", default=None)


@contextlib.contextmanager
def memoised() -> Iterator[None]:
    """Inside the block, ``current_profile`` reads the profile once a day and jurisdiction (``forget_profiles`` and
    ``creditportal.rules.forget_rulesets`` empty the memo, so an edit made in the block is seen after it)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def current_profile() -> JurisdictionProfile | None:
    """The deployment's profile (``CREDIT_JURISDICTION``) with the values in force today: the one way every module
    asks for it. An act whose cause lies on another day asks ``profile_on`` that day."""
    day = timezone.localdate()
    memo = _memo.get()
    if memo is None:
        return profile_on(day)
    key = (settings.CREDIT_JURISDICTION, day)
    if key not in memo:
        memo[key] = profile_on(day)
    return memo[key]


def forget_memo() -> None:
    """The request's memo emptied: the next ``current_profile`` reads the profile again."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def profile_on(
    day: datetime.date, *, profile: JurisdictionProfile | None = None, candidate=None
) -> JurisdictionProfile | None:
    """R-NAT-6: the deployment's profile (or ``profile``) with the values in force on ``day``: its own values, amended
    by each published rule set of the province that took effect on or before ``day``, in date order. An amended value
    cites its set (``sources``, and so every deadline's "how this date was counted"); the copy is read-only.
    ``candidate``: a draft judged as if it were published (the preview)."""
    from .models.rules import RuleLayer
    from .rules import cite_ruleset, published_sets

    profile = profile if profile is not None else profile_for(settings.CREDIT_JURISDICTION)
    if profile is None:
        return None
    sets = [s for s in published_sets(RuleLayer.PROVINCE, profile.code) if s.effective_from <= day]
    if candidate is not None and candidate.layer == RuleLayer.PROVINCE and candidate.jurisdiction == profile.code:
        sets = [s for s in sets if s.pk != candidate.pk]
        if candidate.effective_from <= day:
            sets.append(candidate)
    if not sets:
        return profile
    amended = copy.copy(profile)
    amended.sources, amended.amended_by = dict(profile.sources or {}), {}
    for ruleset in sorted(sets, key=lambda s: (s.effective_from, s.pk or 0)):
        for name, value in ruleset.values.items():
            setattr(amended, name, value)
            amended.sources[name] = cite_ruleset(ruleset, name)
            amended.amended_by[name] = ruleset
    amended.in_force_on = day
    return amended


def forget_profiles() -> None:
    codes = JurisdictionProfile._meta.get_field("code").choices or ()
    cache.delete_many([CACHE_KEY % code for code, _label in codes])
    forget_memo()


def required_value(name: str, *, profile: JurisdictionProfile | None = None):
    """The profile's ``name``, or a refusal that names the missing value and the profile."""
    profile = profile or current_profile()
    if profile is None:
        raise ValidationError(
            _(
                "No jurisdiction profile “%(code)s” is configured: the system administrator loads "
                "it before any case work."
            )
            % {"code": settings.CREDIT_JURISDICTION},
            code="profile_missing",
        )
    value = getattr(profile, name)
    if value in (None, ""):
        raise ValidationError(
            _(
                "The jurisdiction profile “%(profile)s” does not set “%(value)s”, which this act needs. The "
                "regulation fixes no number; the system administrator sets it in the profile, with its source."
            )
            % {
                "profile": profile.name,
                "value": getattr(JurisdictionProfile._meta.get_field(name), "verbose_name", name),
            },
            code="profile_value_missing",
        )
    return value
