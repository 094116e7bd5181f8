"""Identifier validation (R-CAT-8; HL 19) with python-stdnum rather than hand-written check digits."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.util import clean

from .choices import PERSON_IDENTIFIER_TYPES, IdentifierType, SubjectKind

#: The earliest birth year a resident identity card number may carry. The 18-digit number was introduced
#: in 1999; a holder born before 1900 is not plausible, and such a date is almost always a typing error.
EARLIEST_BIRTH_YEAR = 1900

#: Types whose numbers are printed with spaces or hyphens between groups that are not part of the number.
_GROUPED_TYPES = {IdentifierType.RESIDENT_ID, IdentifierType.USCC, ""}


def normalise_identifier(id_type: str, number: str) -> str:
    """What the user meant to type, in the form the number is stored in.

    Text typed through a Chinese input method arrives with full-width letters and digits (１２Ａｘ) and
    ideographic spaces (U+3000): NFKC folds them to ASCII. Spaces are removed; for identity card numbers and
    credit codes, hyphens and dashes between groups are removed too (stdnum maps the dash variants, including
    the full-width －, to "-"). The check character is upper-cased (a lower-case x is accepted).
    """
    number = number or ""
    if number.isascii() and number.isalnum():  # ASCII letters and digits only: nothing to fold or remove (fast path)
        return number.upper()
    value = unicodedata.normalize("NFKC", number)
    value = "".join(value.split())
    if id_type in _GROUPED_TYPES:
        value = clean(value, "-")
    return value.upper()


def validate_identifier(id_type: str, number: str, *, today: datetime.date | None = None) -> str:
    """Return the normalised identifier, or raise a ValidationError that names the real problem.

    Resident identity card numbers (GB 11643): 17 digits and a digit or X, a birth date that exists, is not
    before 1900 and not after today, a known province, and the ISO 7064 MOD 11-2 check digit. Unified social
    credit codes (GB 32100): 18 characters from their alphabet (no I, O, S, V, Z) with the check character.
    """
    value = normalise_identifier(id_type, number)
    if not value:
        raise ValidationError(_("Enter the identifier."), code="required")
    if id_type == IdentifierType.RESIDENT_ID:
        _validate_resident_id(value, today or timezone.localdate())
    elif id_type == IdentifierType.USCC:
        _validate_credit_code(value)
    elif not 5 <= len(value) <= 32 or not (value.isascii() and value.isalnum()):
        raise ValidationError(
            _("An identifier of this type has 5 to 32 letters and digits."),
            code="invalid_format",
        )
    return value


def validate_subject_identifier(*, kind: str, id_type: str, id_number: str) -> str:
    """The subject's normalised identifier, or a ValidationError per field (``id_type``, ``id_number``).

    R-CAT-8 (HL 19): organisations by their unified social credit code only; natural persons by an identity
    card number or another personal ID; the number itself as :func:`validate_identifier` checks it."""
    errors = {}
    if kind == SubjectKind.NATURAL_PERSON and id_type not in PERSON_IDENTIFIER_TYPES:
        errors["id_type"] = _("A natural person is identified by an identity card number or another personal ID.")
    if kind != SubjectKind.NATURAL_PERSON and id_type != IdentifierType.USCC:
        errors["id_type"] = _("An organisation is identified by its unified social credit code only (R-CAT-8).")
    if errors:
        raise ValidationError(errors)
    try:
        return validate_identifier(id_type, id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None


def _validate_resident_id(value: str, today: datetime.date) -> None:
    """GB 11643, in the order that names the real problem first.

    The birth date is checked before the check digit: a mistyped date usually breaks both, and "the birth
    date does not exist" says where the typing error is. We do not use stdnum's last step
    (``ric.get_birth_place``), which refuses a region code that did not exist in the birth year: a card is
    numbered with the region of the household registration when it is issued, so a person born in 1975 and
    registered in Haikou's Xiuying district (created 2002) holds a valid 460105 1975… number. We check the
    province (the first two digits) instead.
    """
    if len(value) != 18:
        raise ValidationError(
            _("A resident identity card number has 18 characters; this one has %(count)d.") % {"count": len(value)},
            code="invalid_length",
        )
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        raise ValidationError(
            _("A resident identity card number has 17 digits followed by a digit or the letter X."),
            code="invalid_format",
        )
    if value[:2] not in _PROVINCE_CODES:
        raise ValidationError(
            _("The first two digits of a resident identity card number are a province code; %(code)s is not one.")
            % {"code": value[:2]},
            code="invalid_component",
        )
    digits = value[6:14]
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this resident identity card number (digits 7 to 14: %(digits)s) does not exist.")
            % {"digits": digits},
            code="invalid_birth_date",
        ) from None
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _(
                "The birth date in this resident identity card number, %(date)s, is before %(year)d: check the "
                "number for a typing error."
            )
            % {"date": birth_date.isoformat(), "year": EARLIEST_BIRTH_YEAR},
            code="invalid_birth_date",
        )
    if birth_date > today:
        raise ValidationError(
            _("The birth date in this resident identity card number, %(date)s, is in the future.")
            % {"date": birth_date.isoformat()},
            code="invalid_birth_date",
        )
    if value[17] != ric.calc_check_digit(value):
        raise ValidationError(
            _(
                "The check digit of this resident identity card number (its last character) is wrong: check the "
                "number for a typing error."
            ),
            code="invalid_checksum",
        )


def _validate_credit_code(value: str) -> None:
    """GB 32100: 18 characters, the first eight digits, the rest from the code alphabet, the check character."""
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(value)},
            code="invalid_length",
        )
    if not (value[:8].isascii() and value[:8].isdigit()) or any(c not in _CODE_ALPHABET for c in value[8:]):
        raise ValidationError(
            _(
                "This unified social credit code contains characters it may not contain: the first eight are "
                "digits, and a code never uses I, O, S, V or Z."
            ),
            code="invalid_format",
        )
    if value[-1] != uscc.calc_check_digit(value):
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong (its last character): check the "
                "code for a typing error."
            ),
            code="invalid_checksum",
        )


#: GB 32100's alphabet: digits and upper-case letters without I, O, S, V and Z.
_CODE_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")

#: GB/T 2260 province-level codes (the first two digits of an identity card number).
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
