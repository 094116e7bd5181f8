"""R-CAT-8 (HL 19): identifiers validated by their GB 11643 / GB 32100 check characters."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from subjects.choices import IdentifierType
from subjects.validators import validate_identifier

VALID_RIC = [
    "11010519491231002X",  # the GB 11643 standard's own example
    "460100199001010019",
    "460200200103150021",
]
VALID_USCC = [
    "91110000600037341L",
    "9144030071526726XG",
    "91460100MA5T0FTB49",
]


@pytest.mark.parametrize("number", VALID_RIC)
def test_r_cat_8_valid_resident_id_numbers_are_accepted(number):
    assert validate_identifier(IdentifierType.RESIDENT_ID, number) == number


def test_r_cat_8_lower_case_x_is_accepted_and_upper_cased():
    assert validate_identifier(IdentifierType.RESIDENT_ID, "11010519491231002x") == "11010519491231002X"


def test_r_cat_8_a_region_created_after_the_birth_year_is_accepted():
    """A 1975-born person registered in Xiuying district (created 2002) holds a valid 460105 number."""
    assert validate_identifier(IdentifierType.RESIDENT_ID, "460105197503150014")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("990105197503150018", "invalid_component"),  # no province 99
        ("110105194912310021", "invalid_checksum"),  # wrong check digit
        ("11010519491231002", "invalid_length"),  # 17 characters
        ("1101051949123100211", "invalid_length"),  # 19 characters
        ("110105194913310021", "invalid_birth_date"),  # month 13, check digit right
        ("11010519491231002Y", "invalid_format"),  # only a digit or X may end the number
    ],
)
def test_r_cat_8_invalid_resident_id_numbers_are_refused(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, number)
    assert excinfo.value.code == code


@pytest.mark.parametrize("number", VALID_USCC)
def test_r_cat_8_valid_unified_social_credit_codes_are_accepted(number):
    assert validate_identifier(IdentifierType.USCC, number) == number


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("91110000600037341M", "invalid_checksum"),
        ("91110000600037341", "invalid_length"),
        ("91110000600037341LL", "invalid_length"),
    ],
)
def test_r_cat_8_invalid_unified_social_credit_codes_are_refused(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.USCC, number)
    assert excinfo.value.code == code


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_r_cat_8_a_code_may_not_contain_i_o_s_v_z(letter):
    number = "9111000060003734" + letter + "L"
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.USCC, number)
    assert excinfo.value.code in {"invalid_format", "invalid_checksum"}
    assert "I, O, S, V or Z" in excinfo.value.messages[0] or excinfo.value.code == "invalid_checksum"


def test_r_cat_8_a_lower_case_code_is_accepted_and_upper_cased():
    assert validate_identifier(IdentifierType.USCC, "91110000600037341l") == "91110000600037341L"


@pytest.mark.parametrize("number", ["E12345678", "C1234567"])
def test_other_valid_ids_are_accepted_with_their_type(number):
    assert validate_identifier(IdentifierType.PASSPORT, number) == number


def test_other_ids_must_be_letters_and_digits():
    with pytest.raises(ValidationError):
        validate_identifier(IdentifierType.PASSPORT, "E12-345")


# Input typed through a Chinese input method (R-CAT-8): full-width letters and digits, ideographic spaces
# (U+3000) and full-width hyphens are what the user meant as ASCII, and are accepted once normalised.
@pytest.mark.parametrize(
    ("id_type", "typed", "stored"),
    [
        (IdentifierType.RESIDENT_ID, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (IdentifierType.RESIDENT_ID, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        (IdentifierType.RESIDENT_ID, "110105\u300019491231\u3000002X", "11010519491231002X"),
        (IdentifierType.RESIDENT_ID, "110105－19491231－002X", "11010519491231002X"),
        (IdentifierType.RESIDENT_ID, " 110105 19491231 002x ", "11010519491231002X"),
        (IdentifierType.USCC, "９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        (IdentifierType.USCC, "９１４６０１００ｍａ５ｔ０ｆｔｂ４９", "91460100MA5T0FTB49"),
        (IdentifierType.USCC, "91110000\u3000600037341L", "91110000600037341L"),
        (IdentifierType.USCC, "9111－0000－6000－3734－1L", "91110000600037341L"),
        (IdentifierType.PASSPORT, "Ｅ１２３４５６７８", "E12345678"),
    ],
)
def test_r_cat_8_full_width_input_is_normalised_before_validation(id_type, typed, stored):
    assert validate_identifier(id_type, typed) == stored


def test_r_cat_8_other_ids_refuse_non_ascii_letters():
    """A passport number of Chinese characters is not "letters and digits" even though str.isalnum() says so."""
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.PASSPORT, "护照号码一二三")
    assert excinfo.value.code == "invalid_format"


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002Y",  # a letter other than X at the end
        "1101051949123100X2",  # X in the middle
        "１１０１０５１９４９１２３１００２Ｙ",  # the same, typed in full width
    ],
)
def test_r_cat_8_a_resident_id_format_error_does_not_mention_the_credit_code_alphabet(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, number)
    assert excinfo.value.code == "invalid_format"
    message = excinfo.value.messages[0]
    assert "I, O, S, V" not in message and "code" not in message.lower()
    assert "X" in message


@pytest.mark.parametrize(
    "number",
    [
        "110105194902300012",  # 30 February, check digit right
        "110105194902300013",  # 30 February, check digit wrong too: the date is the real problem
        "110105194900150019",  # month 00
    ],
)
def test_r_cat_8_an_impossible_birth_date_is_named_as_the_birth_date(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, number)
    assert excinfo.value.code == "invalid_birth_date"
    message = excinfo.value.messages[0]
    assert "birth date" in message
    assert "check" not in message and "region" not in message


def test_r_cat_8_a_birth_year_before_1900_is_refused():
    """110105189912310015 has a right check digit and a real date, 1899-12-31: no living holder."""
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, "110105189912310015")
    assert excinfo.value.code == "invalid_birth_date"
    assert "1900" in excinfo.value.messages[0]


def test_r_cat_8_a_birth_date_after_today_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, "110105202701010016", today=datetime.date(2026, 11, 23))
    assert excinfo.value.code == "invalid_birth_date"


def test_r_cat_8_a_wrong_check_digit_names_the_check_digit_of_the_card():
    with pytest.raises(ValidationError) as excinfo:
        validate_identifier(IdentifierType.RESIDENT_ID, "110105194912310021")
    message = excinfo.value.messages[0]
    assert "check digit" in message and "credit code" not in message


@pytest.mark.parametrize(
    ("id_type", "number", "chinese"),
    [
        (IdentifierType.RESIDENT_ID, "110105194902300013", "出生日期"),
        (IdentifierType.RESIDENT_ID, "110105189912310015", "1900"),
        (IdentifierType.RESIDENT_ID, "11010519491231002Y", "X"),
        (IdentifierType.RESIDENT_ID, "110105194912310021", "校验码"),
        (IdentifierType.RESIDENT_ID, "990105197503150018", "省"),
        (IdentifierType.USCC, "9111000060003734IL", "统一社会信用代码"),
        (IdentifierType.USCC, "91110000600037341M", "校验码"),
    ],
)
def test_r_cat_8_identifier_refusals_are_in_chinese(id_type, number, chinese):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_identifier(id_type, number)
    message = excinfo.value.messages[0]
    assert chinese in message
    assert "\u4e00" <= message[0] <= "\u9fff" and " the " not in message, message
