"""Production profile: refuses to start with an insecure configuration.

Passes ``manage.py check --deploy`` with no warnings when run behind a TLS-terminating reverse proxy.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DATABASES, STORAGES, env, shared_cache

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if not env("CELERY_BROKER_URL"):
    raise ImproperlyConfigured("Production needs a Celery broker: set CELERY_BROKER_URL=redis://...")

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
