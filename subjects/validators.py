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
        _check(_RicWithoutPlaceCheck, value, _("resident identity card number"))
    elif id_type == IdentifierType.USCC:
        _check(uscc, value, _("unified social credit code"))
    elif len(value) < 5 or len(value) > 32 or not value.isalnum():
        raise ValidationError(
            _("An identifier of this type has 5 to 32 letters and digits."), code="invalid_format",
        )
    return value


class _RicWithoutPlaceCheck:
    """GB 11643 as stdnum checks it (length, digits, check digit, birth date), minus one step.

    ``stdnum.cn.ric.validate`` also refuses a region code that did not exist in the birth year. A card is
    numbered with the region of the household registration when it is issued, so a person born in 1975
    and registered in Haikou's Xiuying district (created 2002) holds a valid 460105 1975… number that
    stdnum would refuse. We keep the province check (the first two digits) and drop the county-year one.
    """

    @staticmethod
    def validate(number: str) -> str:
        if len(number) != 18:
            raise stdnum_exceptions.InvalidLength()
        if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
            raise stdnum_exceptions.InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise stdnum_exceptions.InvalidChecksum()
        ric.get_birth_date(number)
        if number[:2] not in _PROVINCE_CODES:
            raise stdnum_exceptions.InvalidComponent()
        return number


#: GB/T 2260 province-level codes (the first two digits of an identity card number).
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


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
