"""What the admin tests read on a page: a refusal that says why, in words."""

import re

#: The reasons the account rule gives (``creditportal.accounts``), any of which a refused page shows.
REASONS = re.compile(
    r"server console|Only the security administrator|Nobody (gives|changes)|holds no department role|does no case work"
)


def says_why(html: str) -> bool:
    """The page gives the account rule's reason in words, and never the rule's internal id (R-SEC-6)."""
    return "(R-SEC-6)" not in html and bool(REASONS.search(html))
