"""What holds a designation up (issue 17): an app above designations registers why a designation cannot move on
while one of its cases is open (an objection to it being verified, R-DES-2), so the designation's guards ask
without reading that app's tables or importing it. Registered in the app's ``ready()``."""

from __future__ import annotations

from collections.abc import Callable

Hold = Callable[[object], "str | None"]
_holds: dict[str, Hold] = {}


def register_hold(name: str, hold: Hold) -> None:
    """``hold(designation)`` returns why the designation is held up now, or None."""
    _holds[name] = hold


def hold_refusal(designation) -> str | None:
    """The first registered reason the designation is held up, or None."""
    for hold in _holds.values():
        reason = hold(designation)
        if reason:
            return reason
    return None
