"""How hard a password is to guess (issue 21: "a real strength check, zxcvbn-class"), beside Django's length, common
and numeric checks. zxcvbn estimates the guesses an attacker needs, seeing repeats ("aaaaaaaaaaaa"), sequences and
keyboard walks ("qwertyuiop12"), dictionary words, dates and the user's own names; a password scoring under
``PORTAL_PASSWORD_MIN_SCORE`` (3 of 4: about 10^8 guesses) is refused, with a message of our own in the user's
language (zxcvbn's own hints are English only)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn


class GuessabilityValidator:
    def validate(self, password: str, user=None) -> None:
        own = [getattr(user, name, "") for name in ("username", "first_name", "last_name", "email")] if user else []
        # zxcvbn judges at most 72 characters (it refuses more): a longer password is judged by its first 72
        result = zxcvbn(password[:72], user_inputs=[text[:72] for text in own if text])
        if result["score"] < settings.PORTAL_PASSWORD_MIN_SCORE:
            raise ValidationError(
                _(
                    "This password is too easy to guess (repeated or consecutive characters, a keyboard row, a "
                    "common word or your own name): use several unrelated words, or a longer mix."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("It must be hard to guess: several unrelated words, or a long mix of letters, digits and signs.")
