"""Template helpers of the list pattern."""

import datetime
import logging

from django import template
from django.utils import timezone

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def column_value(column, row):
    """The value of a ``creditportal.lists.Column`` for one row."""
    return column.value(row)


@register.filter
def column_display(column, row):
    """The value as a list shows it: dates as YYYY-MM-DD, times in local time, to the minute."""
    value = column.value(row)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@register.filter
def action_label(code: str) -> str:
    """The readable label of a timeline action code. A code no app registered is never shown raw (a page in
    Chinese is not the place for ``objections.file.downloaded``): it reads "other action" and is logged, and
    ``creditportal/tests/test_action_labels.py`` fails on any code the code base can write without a label."""
    from django.utils.translation import gettext

    from creditportal.audit import action_label as label

    found = label(code)
    if not found:
        logger.warning("Timeline action without a label: %s", code)
    return found or gettext("Other action")


@register.filter
def for_people(text) -> str:
    """Rule ids replaced by the deployment's own article, or removed (``creditportal.citations``)."""
    from creditportal.citations import for_people as cite

    return cite(text)


@register.filter
def person(user) -> str:
    """A user as pages name them: 林小燕（hk-caseworker） in Chinese, "Lin Xiaoyan (hk-caseworker)" in English."""
    from django.utils.translation import gettext as _

    if not user:
        return ""
    full = user.get_full_name()
    return _("%(name)s (%(username)s)") % {"name": full, "username": user.username} if full else user.username


@register.filter
def cite_rule(rule_id: str) -> str:
    """The deployment's own article for a rule id (《海南自由贸易港社会信用条例》第二十七条), or ""."""
    from creditportal.profiles import current_profile

    profile = current_profile()
    return profile.cite(rule_id) if profile else ""


@register.filter
def file_type(name) -> str:
    """What kind of file an upload is (PDF, JPG, DOCX), from its name: pages name a file by its title and
    type, never by its storage name (``objection_application_KwRNFld.pdf``)."""
    text = str(getattr(name, "name", name) or "")
    suffix = text.rsplit(".", 1)[-1] if "." in text.rsplit("/", 1)[-1] else ""
    return suffix.upper() if suffix.isalnum() and len(suffix) <= 5 else ""


@register.simple_tag
def regulation_in_force() -> str:
    """The regulation this deployment applies (《海南自由贸易港社会信用条例》), in Chinese; its English name
    otherwise; "" without a profile. Escaped like any value: an administrator types it."""
    from django.utils.translation import get_language

    from creditportal.profiles import current_profile

    profile = current_profile()
    if profile is None:
        return ""
    chinese = (get_language() or "").startswith("zh") and profile.regulation_zh
    return profile.regulation_zh if chinese else profile.regulation


def _whole(context, obj) -> bool:
    from creditportal.masking import sees_personal_data

    request = context.get("request")
    return request is not None and sees_personal_data(request.user, department_id=obj.department_id)


@register.simple_tag(takes_context=True)
def identity(context, subject, case=None) -> str:
    """R-DIS-4: the subject's identifier, whole for the authorised staff of ``case`` (or of the subject), masked
    for anyone else (``creditportal.masking``). A sealed number that no configured key opens (a key removed before
    ``rotate_identity_keys`` re-sealed the rows) shows masked, says so, and is logged for the operator: the page still
    arrives; a document never guesses (``open_sealed`` refuses there)."""
    if not subject.is_person or _whole(context, case or subject):
        from django.utils.html import format_html
        from django.utils.translation import gettext

        from creditportal.identity import IdentityKeyError

        try:
            return subject.identifier
        except IdentityKeyError:
            logger.error("identity: no configured key opens the sealed number of subject %s", subject.pk)
            return format_html(
                '{} <span class="text-danger small">{}</span>',
                subject.masked_id_number,
                gettext("(the whole number cannot be opened now: tell the system administrator)"),
            )
    return subject.masked_id_number


@register.simple_tag(takes_context=True)
def address(context, subject, case=None) -> str:
    """R-DIS-4: a natural person's address, masked for anyone but the authorised staff."""
    if not subject.is_person or _whole(context, case or subject):
        return subject.address
    return subject.masked_address


@register.simple_tag(takes_context=True)
def contact(context, case, value) -> str:
    """R-DIS-4: a person's phone or other contact on ``case``, masked for anyone but the case's authorised staff."""
    from creditportal.masking import mask_contact

    return value if _whole(context, case) else mask_contact(value)
