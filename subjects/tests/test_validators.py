"""R-CAT-8 (HL 19): identifiers validated by their GB 11643 / GB 32100 check characters."""
import pytest
from django.core.exceptions import ValidationError

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
        ("110105194913310021", "invalid_component"),  # month 13, check digit right
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
