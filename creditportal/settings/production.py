"""Production profile: refuses to start with an insecure configuration.

Passes ``manage.py check --deploy`` with no warnings when run behind a TLS-terminating reverse proxy.
"""

import math
from collections import Counter

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS, DATABASES, STORAGES, env, shared_cache

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")


def _weak(secret: str) -> bool:
    """Issue 21: a secret is judged by its randomness, not its length. Refused: shorter than 50 characters, fewer
    than 16 different characters, a repetition of a shorter string ("abcde" * 12), an estimated entropy (the
    characters' observed frequencies times the length) under 128 bits, or Django's placeholder."""
    if len(secret) < 50 or len(set(secret)) < 16 or secret in (secret + secret)[1:-1]:
        return True
    bits = -sum(n / len(secret) * math.log2(n / len(secret)) for n in Counter(secret).values()) * len(secret)
    return bits < 128 or secret.startswith("django-insecure")


SECRET_KEY = env("SECRET_KEY", default="")
if _weak(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production (python -c 'from django.core.management.utils "
        "import get_random_secret_key; print(get_random_secret_key())')."
    )
if env("AUDIT_ANCHOR_KEY", default="") and _weak(env("AUDIT_ANCHOR_KEY")):
    raise ImproperlyConfigured("AUDIT_ANCHOR_KEY, when set, must be a long random value like the SECRET_KEY.")
# Identity numbers at rest (creditportal.identity): production brings its own keys, never the SECRET_KEY's.
if not env.list("PORTAL_IDENTITY_KEYS", default=[]):
    raise ImproperlyConfigured(
        "PORTAL_IDENTITY_KEYS must name the key(s) that encrypt identity numbers (newest first; python -c 'from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'); docs/security.md."
    )
for _key in env.list("PORTAL_IDENTITY_KEYS"):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured("Each of PORTAL_IDENTITY_KEYS must be a Fernet key (32 random bytes).") from None
if _weak(env("PORTAL_IDENTITY_HASH_KEY", default="")):
    raise ImproperlyConfigured(
        "PORTAL_IDENTITY_HASH_KEY must be set to a long random value (it keys the identity numbers' digests)."
    )
if not ALLOWED_HOSTS or any(host == "*" or host.startswith("*") for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the portal's own host names in production (no wildcard): the portal answers no "
        "other Host."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if not env("CELERY_BROKER_URL"):
    raise ImproperlyConfigured("Production needs a Celery broker: set CELERY_BROKER_URL=redis://...")
if env.bool("SIGNING_DEMO_CA", default=False):
    raise ImproperlyConfigured(
        "SIGNING_DEMO_CA must be off in production: a demo root's signature proves nothing. Put the departments' "
        "certificates from your certification authority in SIGNING_DIR (docs/deployment.md)."
    )

# The cache is Redis, by default the broker's; it is optional at runtime: pages are served while it is down.
CACHES = {"default": shared_cache(env("CACHE_URL", default=env("CELERY_BROKER_URL")))}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The document store is the base profile's (the filesystem, or S3 with STORAGE_BACKEND=s3).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
