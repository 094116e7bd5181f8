"""Rule values by effective date (R-NAT-6, issue 20): which rule set of a layer is in force on a day, the values
it fixes, and the one workflow by which a set is drafted and published.

Every act is judged by the values in force on the day of its cause: a record's disclosure period by the rules of
its determination (or the end of its conduct), so a rule set published on D changes nothing dated before D. A
published set never changes; a later set supersedes it from its own date. Drafted by one system administrator,
published by another (four eyes), and before that the preview lists what it would change
(``creditportal.rules_preview``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Jurisdiction
from .models.rules import RULE_VALUES, RuleLayer, RuleSet, RuleSetStatus
from .workflow import Transition, Workflow

CACHE_KEY = "creditportal:rulesets:v1:%s"
#: A class whose set fixes a minimum and no maximum: no upper bound (held by the item and the profile alone).
NO_MAXIMUM = 10_000
#: Who drafts and who publishes: the system administrator's permissions on the model (creditportal.roles).
DRAFT_PERMISSION, PUBLISH_PERMISSION = "creditportal.add_ruleset", "creditportal.change_ruleset"


# --- the workflow ---------------------------------------------------------------------------------------------


def _complete(ruleset, **_c) -> str | None:
    try:
        ruleset.full_clean()
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _not_in_the_past(ruleset, *, today=None, **_c) -> str | None:
    """R-NAT-6: a set takes effect no earlier than the day it is published; dated before, it would judge acts already
    done by values that were not in force on their day."""
    today = today or timezone.localdate()
    if ruleset.effective_from < today:
        return _(
            "A rule set takes effect no earlier than the day it is published: %(date)s is past. Date it today or later."
        ) % {"date": ruleset.effective_from.isoformat()}
    return None


def _not_the_drafter(ruleset, *, actor, **_c) -> str | None:
    if ruleset.drafted_by_id == actor.pk:
        return _("You drafted this rule set: another system administrator publishes it (four eyes).")
    return None


def _authorise(actor, obj, transition: Transition) -> bool:
    return bool(actor and actor.has_perm(transition.permission))


RULESET = Workflow(
    field_name="status",
    state_labels=dict(RuleSetStatus.choices),
    transitions=[
        Transition(
            "edit", frozenset({RuleSetStatus.DRAFT}), None, cast(str, gettext_lazy("Edit")), permission=DRAFT_PERMISSION
        ),
        Transition(
            "publish",
            frozenset({RuleSetStatus.DRAFT}),
            RuleSetStatus.PUBLISHED,
            cast(str, gettext_lazy("Publish")),
            permission=PUBLISH_PERMISSION,
            who=(_not_the_drafter,),
            guards=(_complete, _not_in_the_past),
        ),
    ],
    authorise=_authorise,
)


# --- reads ----------------------------------------------------------------------------------------------------


def published_sets(layer: str = RuleLayer.NATIONAL, jurisdiction: str = "") -> list[RuleSet]:
    """The layer's published sets (of ``jurisdiction``, for the province's), latest first (cached for a minute;
    ``forget_rulesets`` after a publication)."""
    key = CACHE_KEY % f"{layer}:{jurisdiction}"
    sets = cache.get(key)
    if sets is None:
        sets = list(
            RuleSet.objects.filter(layer=layer, jurisdiction=jurisdiction, status=RuleSetStatus.PUBLISHED).order_by(
                "-effective_from", "-pk"
            )
        )
        cache.set(key, sets, 60)
    return sets


def forget_rulesets() -> None:
    from .profiles import forget_memo

    cache.delete_many(
        [CACHE_KEY % f"{RuleLayer.NATIONAL}:"]
        + [CACHE_KEY % f"{RuleLayer.PROVINCE}:{code}" for code in Jurisdiction.values]
    )
    forget_memo()  # the profile in force this request is amended by them


def ruleset_on(day: datetime.date, layer: str = RuleLayer.NATIONAL, *, candidate: RuleSet | None = None):
    """The set of ``layer`` in force on ``day`` (None before the first). ``candidate``: a draft judged as if it were
    published (the preview)."""
    sets = published_sets(layer)
    if candidate is not None and candidate.layer == layer:
        sets = sorted([*sets, candidate], key=lambda s: s.effective_from, reverse=True)
    return next((s for s in sets if s.effective_from <= day), None)


@dataclass(frozen=True)
class ClassLimits:
    """R-NAT-2: the months information of one class is published, at least and at most, and the set that says so.
    ``published`` False: not published at all (minor information, unless its item says publication is
    necessary)."""

    minimum: int
    maximum: int
    published: bool
    ruleset: RuleSet


def class_limits(info_class: str, day: datetime.date, *, candidate: RuleSet | None = None) -> ClassLimits | None:
    """The limits of class ``info_class`` (minor, general, serious) in the national rules in force on ``day``; None
    when no set is in force then, or it sets nothing for the class."""
    ruleset = ruleset_on(day, candidate=candidate)
    if ruleset is None or not info_class:
        return None
    values = ruleset.values
    if info_class == "minor":
        if "minor_max_months" not in values:
            return None
        return ClassLimits(0, values["minor_max_months"], bool(values.get("minor_published", False)), ruleset)
    low, high = values.get(f"{info_class}_min_months"), values.get(f"{info_class}_max_months")
    if low is None and high is None:
        return None
    return ClassLimits(low or 0, high if high is not None else NO_MAXIMUM, True, ruleset)


def value_on(name: str, day: datetime.date):
    """A national value in force on ``day`` and the set that fixes it, or (None, None)."""
    ruleset = ruleset_on(day)
    if ruleset is None or name not in ruleset.values:
        return None, None
    return ruleset.values[name], ruleset


def cite_ruleset(ruleset: RuleSet, name: str) -> str:
    """How a page names where a value came from: the set's title and the value's source without its explanation
    ("国家信用修复规则（2026年4月1日起施行）·国办发〔2025〕22号第二项")."""
    source = (ruleset.sources or {}).get(name, "").split("（", 1)[0].replace(" ", "").strip()
    return f"{ruleset.title}·{source}" if source else ruleset.title


# --- the preview: what a rule set would change (R-NAT-6) -----------------------------------------------------

#: fn(candidate) -> iterable of (kind, object id, label, old date, new date): each app that keeps dates the rules
#: decide registers how to list the ones a rule set would change (subjects: the displayed records).
_PREVIEWS: list = []


def register_preview(fn) -> None:
    _PREVIEWS.append(fn)


def ruleset_preview(candidate: RuleSet):
    """Every date ``candidate`` would change, as rows (kind, id, label, old, new), for the page and the export."""
    for fn in _PREVIEWS:
        yield from fn(candidate)


def instrument_of(ruleset: RuleSet, name: str) -> str:
    """The instrument a value comes from, as a document cites it: its source up to the first explanation
    ("国办发〔2025〕22号" of "国办发〔2025〕22号（两书同达：…）")."""
    source = (ruleset.sources or {}).get(name, "")
    return source.split("（", 1)[0].split(" ", 1)[0].strip()


# --- writes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def ruleset_save(*, actor, reason: str, ruleset: RuleSet | None = None, **fields) -> RuleSet:
    """Draft a rule set, or change a draft: a published set never changes (R-NAT-6)."""
    from .audit import record_event, tracked_save

    if ruleset is None:
        if not actor.has_perm(DRAFT_PERMISSION):
            raise PermissionDenied(_("Only a system administrator drafts rule sets."))
        ruleset = RuleSet(drafted_by=actor)
    else:
        ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
        RULESET.apply(ruleset, "edit", actor=actor)
    for name, value in fields.items():
        if name not in {"layer", "jurisdiction", "title", "effective_from", "values", "sources", "prevails"}:
            raise TypeError(name)
        setattr(ruleset, name, value)
    tracked_save(ruleset, actor=actor, reason=reason)
    record_event(action="creditportal.ruleset.saved", actor=actor, target=ruleset, reason=reason)
    return ruleset


@transaction.atomic
def ruleset_publish(*, ruleset: RuleSet, actor, reason: str, now=None) -> RuleSet:
    """Publish a draft (four eyes: not its drafter): from its effective date it judges every act whose cause falls
    on or after that day; nothing dated before changes."""
    from .audit import record_event, tracked_save

    now = now or timezone.now()
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    RULESET.apply(ruleset, "publish", actor=actor, today=timezone.localdate(now))
    ruleset.published_by, ruleset.published_at = actor, now
    tracked_save(ruleset, actor=actor, reason=reason)
    record_event(
        action="creditportal.ruleset.published",
        actor=actor,
        target=ruleset,
        reason=reason,
        data={"effective_from": ruleset.effective_from.isoformat(), "values": sorted(ruleset.values)},
    )
    forget_rulesets()  # this transaction's next read sees the set; on commit again, for a read cached meanwhile
    transaction.on_commit(forget_rulesets)
    return ruleset


__all__ = [
    "RULESET",
    "RULE_VALUES",
    "ClassLimits",
    "class_limits",
    "cite_ruleset",
    "forget_rulesets",
    "published_sets",
    "ruleset_on",
    "ruleset_publish",
    "ruleset_save",
    "value_on",
]
