"""The one masking policy of natural persons' data (R-DIS-4, HL 23; issue 21).

- **What**: identity numbers (the first four and the last four characters shown, the rest starred), addresses (the
  first six characters: the city and district), contacts (a phone's first three and last four digits) and, where
  a person is named to someone other than staff (an organisation's agents in the subject portal), names (the
  surname).
  Organisations' codes and addresses are public and shown whole.
- **To whom whole**: ``sees_personal_data``: a person who may change the subject's or case's department's subjects
  (its caseworkers, supervisors and heads: the case's authorised staff). Everyone else (the department's
  auditors, an assisting department, the authority's staff on a shared case, administrators) reads them masked,
  on pages (the ``identity``, ``address`` and ``contact`` tags of ``creditportal.templatetags.portal``), in lists
  and in exports (always masked: a list leaves the portal). Issued documents are the subject's own and state him
  whole; opening one is registered in the access log.
- A number someone typed into a search, kept in the audit trail, is masked by ``masked_filters``.
"""

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


#: The permission that makes a person one of a subject's authorised staff (``sees_personal_data``).
AUTHORISED_PERMISSION = "subjects.change_creditsubject"


def sees_personal_data(user, *, department_id: int) -> bool:
    """R-DIS-4: whether ``user`` reads a natural person's data of ``department_id`` whole (its caseworkers,
    supervisors and heads); everyone else reads it masked."""
    from .permissions import department_ids_for

    return department_id in department_ids_for(user, AUTHORISED_PERMISSION)


def mask_name(name: str) -> str:
    """``王建国`` → ``王**``: the first character (a Chinese surname) and a star for each other one."""
    name = (name or "").strip()
    return name if len(name) < 2 else f"{name[0]}{'*' * (len(name) - 1)}"


def mask_address(text: str) -> str:
    """``海口市龙华区滨海大道88号`` → ``海口市龙华区****``: the city and district, not the street."""
    text = text or ""
    return text if len(text) <= 6 else f"{text[:6]}****"


def mask_contact(text: str) -> str:
    """``13800138000`` → ``138****8000`` (a mobile or a landline with its area code); a shorter number shows its last
    four digits only; a contact that is not a phone number (an address) as ``mask_address``."""
    text = (text or "").strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 7 and len(digits) >= len(text) - 4:
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 11 else f"****{digits[-4:]}"
    return mask_address(text)
