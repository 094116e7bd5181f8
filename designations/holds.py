"""What holds a designation up, and what justifies its end (issues 17, 18): an app above designations registers
why a designation cannot move on while one of its cases is open (an objection to it being verified, R-DES-2),
and which of its cases is the cause a removal reason names (a granted restoration, a sustained objection), so the
designation's guards ask without reading that app's tables or importing it. Registered in the app's ``ready()``."""

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


Cause = Callable[[object], bool]
_causes: dict[str, list[Cause]] = {}


def register_cause(removal_reason: str, exists: Cause) -> None:
    """``exists(designation)``: whether a case of the registering app justifies ending the designation for
    ``removal_reason`` (e.g. a granted restoration application of it or of a record it rests on)."""
    checks = _causes.setdefault(str(removal_reason), [])
    if exists not in checks:
        checks.append(exists)


def cause_exists(designation, removal_reason: str) -> bool:
    return any(exists(designation) for exists in _causes.get(str(removal_reason), []))
