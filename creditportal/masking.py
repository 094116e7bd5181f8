"""The one masking of natural persons' identity numbers (R-DIS-4, HL 23; issue 21): the first four and the last four
characters shown, the rest starred. A subject's masked number, and any number someone typed into a search that is
kept in the audit trail, go through it."""

import re

#: A resident identity number as typed: 18 characters (17 digits and a digit or X) or the old 15 digits.
RESIDENT_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def mask_identity(number: str) -> str:
    """``110101199003071234`` → ``1101**********1234``; shorter than 8 characters: unchanged."""
    if len(number) < 8:
        return number
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_numbers_in(text: str) -> str:
    """``text`` with every resident identity number in it masked (what a search or an export's filter kept)."""
    return RESIDENT_NUMBER.sub(lambda match: mask_identity(match.group(1)), text)


def masked_filters(params) -> dict[str, str]:
    """A request's filters as the audit trail keeps them: the page left out, identity numbers masked."""
    return {key: mask_numbers_in(value) for key, value in params.items() if key not in {"page", "sort"} and value}
