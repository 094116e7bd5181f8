"""Identifier validation (R-CAT-8; HL 19) with python-stdnum rather than hand-written check digits."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc

from .choices import IdentifierType


def normalise_identifier(id_type: str, number: str) -> str:
    """Strip spaces and separators; upper-case the check character (a lower-case x is accepted)."""
    number = (number or "").strip()
    if id_type == IdentifierType.RESIDENT_ID:
        return ric.compact(number).upper()
    if id_type == IdentifierType.USCC:
        return uscc.compact(number).upper()
    return "".join(number.split()).upper()


def validate_identifier(id_type: str, number: str) -> str:
    """Return the normalised identifier, or raise a ValidationError that says what is wrong.

    Resident identity card numbers: 18 characters with the GB 11643 check digit (ISO 7064 MOD 11-2).
    Unified social credit codes: 18 characters from the GB 32100 alphabet (no I, O, S, V, Z) with its
    check character.
    """
    value = normalise_identifier(id_type, number)
    if not value:
        raise ValidationError(_("Enter the identifier."), code="required")
    if id_type == IdentifierType.RESIDENT_ID:
        _check(ric, value, _("resident identity card number"))
    elif id_type == IdentifierType.USCC:
        _check(uscc, value, _("unified social credit code"))
    elif len(value) < 5 or len(value) > 32 or not value.isalnum():
        raise ValidationError(
            _("An identifier of this type has 5 to 32 letters and digits."), code="invalid_format",
        )
    return value


def _check(module, value: str, label: str) -> None:
    try:
        module.validate(value)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(
            _("A %(label)s has 18 characters; this one has %(count)d.") % {"label": label, "count": len(value)},
            code="invalid_length",
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The check character of this %(label)s is wrong: check the number for a typing error.")
            % {"label": label},
            code="invalid_checksum",
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("This %(label)s contains a part that cannot be valid (a date of birth, region or registration "
              "authority code).") % {"label": label},
            code="invalid_component",
        ) from None
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError(
            _("This %(label)s contains characters it may not contain (a code never uses I, O, S, V or Z).")
            % {"label": label},
            code="invalid_format",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("This %(label)s is not valid.") % {"label": label}, code="invalid") from None
