"""The lawful-data guard: what a credit record or a designation may stand on.

Called by the services that write records and designations (forms, imports and tasks alike), before
anything is saved, so refused data is stored nowhere, not even in history.

How data is known to be in a protected category (docs/architecture.md, "The lawful-data guard"):
1. the catalog authors flag the item: ``CatalogItem.prohibited_category`` (R-CAT-4) or
   ``consent_category`` (R-CAT-5);
2. free text is classified by the words it contains (``FREE_TEXT_MARKERS``): a summary that names a blood
   type or a religion is refused whatever the item.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ConsentCategory, ProhibitedCategory, PublicationStatus, StandardStatus

#: Words that mark free text as holding R-CAT-4 data (both languages; lower-case for English).
FREE_TEXT_MARKERS: dict[str, tuple[str, ...]] = {
    # Phrases, not single characters: 疾病预防控制中心 (a CDC) or 转基因食品 (GM food) are lawful subjects of a
    # record; a person's illness or genes are not.
    ProhibitedCategory.RELIGION: ("宗教信仰", "信仰宗教", "religious belief"),
    ProhibitedCategory.BLOOD_TYPE: ("血型", "blood type", "blood group"),
    ProhibitedCategory.ILLNESS: ("患有", "确诊为", "诊断为", "病情", "suffers from", "diagnosed with"),
    ProhibitedCategory.MEDICAL_HISTORY: ("病史", "既往史", "病历", "medical history", "medical record"),
    ProhibitedCategory.GENETIC: (
        "基因检测",
        "基因信息",
        "基因数据",
        "遗传信息",
        "dna test",
        "genetic data",
        "genetic test",
    ),
    ProhibitedCategory.BIOMETRIC: (
        "指纹",
        "虹膜",
        "人脸信息",
        "面部特征",
        "声纹",
        "fingerprint",
        "iris scan",
        "biometric",
        "facial image",
    ),
}

ACCEPTED_BASIS_TYPES = {"judgment", "arbitration", "punishment_decision", "administrative_ruling", "other_prescribed"}


def prohibited_in_text(*texts: str) -> list[str]:
    """The R-CAT-4 categories that ``texts`` mention, by label."""
    found = []
    haystack = " ".join(t for t in texts if t).lower()
    for category, markers in FREE_TEXT_MARKERS.items():
        if any(marker in haystack for marker in markers):
            found.append(str(ProhibitedCategory(category).label))
    return found


def valid_consent(*, subject, category: str, on: datetime.datetime | None = None):
    """The subject's written consent covering ``category``, given and not revoked at ``on`` (R-CAT-5)."""
    on = on or timezone.now()
    return (
        subject.consents.filter(category=category, given_at__lte=on, adverse_consequences_notified=True)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=on))
        .exclude(written_evidence="")
        .order_by("-given_at")
        .first()
    )


def check_record(
    *,
    subject,
    catalog_item,
    kind: str,
    basis_document=None,
    texts: tuple[str, ...] = (),
    on: datetime.datetime | None = None,
) -> None:
    """Refuse a credit record that the law does not allow, with the reason (nothing is saved).

    R-CAT-1: against an item of the published catalog only. R-CAT-4: never prohibited data. R-CAT-5: a
    natural person's consent-only data needs a valid written consent. R-REC-1: untrustworthy conduct needs
    an effective basis document of an accepted type. R-CAT-3: not under the simplified procedure.
    """
    if catalog_item.prohibited_category:
        raise ValidationError(
            _(
                "“%(item)s” would hold %(category)s, which may never be collected, whatever the consent "
                "(R-CAT-4). Nothing was stored."
            )
            % {"item": catalog_item.name, "category": catalog_item.get_prohibited_category_display()},
            code="prohibited_category",
        )
    mentioned = prohibited_in_text(*texts)
    if mentioned:
        raise ValidationError(
            _(
                "The text mentions %(categories)s, which may never be collected (R-CAT-4). Remove it; nothing "
                "was stored."
            )
            % {"categories": ", ".join(mentioned)},
            code="prohibited_text",
        )
    version = catalog_item.version
    if version.status != PublicationStatus.PUBLISHED:
        raise ValidationError(
            _(
                "Item %(code)s belongs to catalog version %(number)s, which is %(status)s: records are entered only "
                "against the published catalog (R-CAT-1)."
            )
            % {"code": catalog_item.code, "number": version.number, "status": version.get_status_display()},
            code="item_not_published",
        )
    if (
        catalog_item.consent_category
        and subject.is_person
        and valid_consent(subject=subject, category=catalog_item.consent_category, on=on) is None
    ):
        raise ValidationError(
            _(
                "%(category)s of a natural person is recorded only with the person's written consent, given "
                "after notice of the adverse consequences and not revoked (R-CAT-5). No such consent is on "
                "file for %(name)s."
            )
            % {"category": ConsentCategory(catalog_item.consent_category).label, "name": subject.name},
            code="consent_missing",
        )
    if kind == "untrustworthy":
        if basis_document is None:
            raise ValidationError(
                _(
                    "Untrustworthy conduct is recorded only on a legally effective basis document "
                    "(R-REC-1): attach one."
                ),
                code="basis_missing",
            )
        if basis_document.basis_type not in ACCEPTED_BASIS_TYPES:
            raise ValidationError(_("This kind of document cannot support a record (R-REC-1)."), code="basis_type")
        if basis_document.simplified_procedure:
            raise ValidationError(
                _("Administrative punishments made under the simplified procedure are not recorded (R-CAT-3)."),
                code="simplified_procedure",
            )


def check_designation(*, standard, measures) -> None:
    """R-CAT-6 / R-DES-10: a published standard only; R-CAT-7: only measures it allows, from published lists."""
    if standard.status != StandardStatus.PUBLISHED:
        raise ValidationError(
            _("Standard %(code)s is %(status)s: a designation rests only on a published standard (R-CAT-6).")
            % {"code": standard.code, "status": standard.get_status_display()},
            code="standard_not_published",
        )
    allowed = set(standard.allowed_measures.values_list("pk", flat=True))
    outside = [m for m in measures if m.pk not in allowed]
    if outside:
        raise ValidationError(
            _(
                "The standard does not allow these measures: %(codes)s. Nothing may expand a published standard "
                "(R-CAT-7)."
            )
            % {"codes": ", ".join(m.code for m in outside)},
            code="measure_not_allowed",
        )
    unpublished = [m for m in measures if m.measure_list.status != PublicationStatus.PUBLISHED]
    if unpublished:
        raise ValidationError(
            _("These measures are not on a published list: %(codes)s (R-CAT-7).")
            % {"codes": ", ".join(m.code for m in unpublished)},
            code="measure_not_published",
        )
