"""Natural persons' identity numbers at rest (issue 21; PIPL art. 51; GB/T 22239-2019 8.1.4.7 and 8.1.4.8).

A subject's row keeps three things (``subjects.CreditSubject``):

- ``id_number``: the identifier **as shown**: an organisation's code whole (it is public), a person's number masked
  by the one masking policy (R-DIS-4), so lists, exports and the history never need a key;
- ``id_sealed``: a person's whole number, **encrypted** (empty for organisations). Only the live row holds it: the
  history and the audit ledger copy the masked number and the digest, so a key is rotated without touching the
  audit trail;
- ``id_digest``: a **keyed hash** of the whole identifier (every subject), for exact lookup and uniqueness
  without decrypting anything.

The cipher and the hash form one *suite*, named by ``PORTAL_IDENTITY_SUITE``; every sealed number starts with its
suite's name (``fernet:…``), so a deployment that must use the national algorithms (SM4 for the cipher, HMAC-SM3 for
the hash; the ``gmssl`` library, or Tongsuo's bindings) adds a suite here and switches the setting without a schema
change, then re-seals the rows with ``manage.py rotate_identity_keys``. The suite shipped is Fernet (AES-128-CBC
with HMAC-SHA256, from the maintained ``cryptography`` library) with HMAC-SHA256 for the digest.

Keys: ``PORTAL_IDENTITY_KEYS``, newest first: the first seals, every one opens (MultiFernet), so rotation needs no
downtime: put a new key first, deploy, run ``rotate_identity_keys``, then drop the old key. ``PORTAL_IDENTITY_HASH_KEY``
keys the digest. In development and tests both are derived from the ``SECRET_KEY``; production refuses to start
without them (``settings/production.py``). ``docs/security.md`` "Identity numbers at rest".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class IdentityKeyError(Exception):
    """A sealed number no configured key opens (a key dropped before the rows were re-sealed)."""


def normalise(identifier: str) -> str:
    """What the digest is taken of: the identifier as validated (upper case, no spaces)."""
    return "".join((identifier or "").split()).upper()


def _derived(purpose: str) -> bytes:
    """A key derived from the SECRET_KEY (development and tests only; production sets its own keys)."""
    return hashlib.sha256(f"creditportal.identity.{purpose}:{settings.SECRET_KEY}".encode()).digest()


class FernetSuite:
    """Fernet (AES-128-CBC, HMAC-SHA256, a random IV per number) through MultiFernet; HMAC-SHA256 digests."""

    name = "fernet"

    def __init__(self, keys: list[str], hash_key: str) -> None:
        fernet_keys = keys or [base64.urlsafe_b64encode(_derived("cipher")).decode()]
        self.fernet = MultiFernet([Fernet(key) for key in fernet_keys])
        self.newest = Fernet(fernet_keys[0])
        self.hash_key = hash_key.encode() if hash_key else _derived("digest")

    @staticmethod
    def check_key(key: str) -> None:
        """Raise ValueError unless ``key`` is a Fernet key (32 random bytes, URL-safe base64)."""
        Fernet(key)

    def seal(self, clear: str) -> str:
        return self.fernet.encrypt(clear.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self.fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise IdentityKeyError("no configured identity key opens this number") from None

    def reseal(self, sealed: str) -> str:
        return self.fernet.rotate(sealed.encode()).decode()

    def sealed_by_newest(self, sealed: str) -> bool:
        try:
            self.newest.decrypt(sealed.encode())
        except InvalidToken:
            return False
        return True

    def digest(self, clear: str) -> str:
        return hmac.new(self.hash_key, normalise(clear).encode(), hashlib.sha256).hexdigest()


SUITES = {FernetSuite.name: FernetSuite}


@cache
def suite() -> FernetSuite:
    """The configured suite (built once; rebuilt when a test overrides the settings)."""
    name = settings.PORTAL_IDENTITY_SUITE
    if name not in SUITES:
        raise ValueError(f"PORTAL_IDENTITY_SUITE {name!r} is not one of {sorted(SUITES)}")
    return SUITES[name](list(settings.PORTAL_IDENTITY_KEYS), settings.PORTAL_IDENTITY_HASH_KEY)


@receiver(setting_changed)
def _forget_suite(*, setting: str, **_kwargs) -> None:
    if setting.startswith("PORTAL_IDENTITY_") or setting == "SECRET_KEY":
        suite.cache_clear()


def seal(identifier: str) -> str:
    """``identifier`` encrypted by the configured suite, prefixed by the suite's name."""
    current = suite()
    return f"{current.name}:{current.seal(normalise(identifier))}"


def _split(sealed: str) -> tuple[str, str]:
    name, _, token = sealed.partition(":")
    if name != suite().name:
        raise IdentityKeyError(f"sealed by the suite {name!r}, not the configured {suite().name!r}")
    return name, token


def open_sealed(sealed: str) -> str:
    """The whole number a sealed value holds (IdentityKeyError when no configured key opens it)."""
    return suite().open(_split(sealed)[1])


def reseal(sealed: str) -> str | None:
    """``sealed`` encrypted again under the newest key, or None when it already is (rotation)."""
    name, token = _split(sealed)
    if suite().sealed_by_newest(token):
        return None
    return f"{name}:{suite().reseal(token)}"


def digest(identifier: str) -> str:
    """The keyed hash of ``identifier`` (normalised): exact lookup and uniqueness without the number."""
    return suite().digest(identifier)


# --- numbers written before they were sealed (the migration subjects 0013) ---------------------------------------

SEALED_ACTION = "creditportal.identity.sealed"
SEALED_SALT = "creditportal.identity.sealed"
HISTORY_TABLE = "subjects_historicalcreditsubject"


def _mark_key() -> str:
    return settings.AUDIT_ANCHOR_KEY or settings.SECRET_KEY  # the audit administrator's key, as the ledger's anchors


def sealing_signature(summary: dict) -> str:
    """The signature of a sealing's count (``subjects.services.identity.seal_clear_rows``): what the ledger's
    verification trusts (``history_masked_through``)."""
    from django.core import signing

    return signing.dumps(summary, salt=SEALED_SALT, key=_mark_key())


def history_masked_through() -> int:
    """The last history row (``history_id``) whose number a signed sealing masked after the ledger copied it (0:
    none). The ledger's verification compares those rows without their identifier columns."""
    from django.core import signing

    from .models import AuditEvent

    through = 0
    for data in AuditEvent.objects.filter(action=SEALED_ACTION).values_list("data", flat=True):
        try:
            signed = signing.loads(data.get("signature", ""), salt=SEALED_SALT, key=_mark_key())
        except signing.BadSignature:
            continue
        if signed == {k: data.get(k) for k in ("history", "history_through")}:
            through = max(through, int(signed["history_through"]))
    return through
