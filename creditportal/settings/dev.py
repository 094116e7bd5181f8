"""Quick-start profile: a generated secret, SQLite under var/ unless DATABASE_URL says otherwise.

DEBUG is on unless the environment says ``DEBUG=false``: ``make run`` serves the demo as users see it (DEBUG off:
the product's error pages, no tracebacks), ``make dev`` keeps it on. Either way WhiteNoise serves the static
files straight from the finders, so no ``collectstatic`` is needed.
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_FORMAT", "text")  # readable lines on a developer's console; production writes JSON

from .base import *  # noqa: E402,F401,F403  (settings modules are the one place star imports are idiomatic)
from .base import DEBUG, VAR_DIR, env  # noqa: E402

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


def _dev_secret_key() -> str:
    """A random key made once per checkout and kept in var/ (never committed)."""
    from django.core.management.utils import get_random_secret_key

    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or _dev_secret_key()
# The demo's departments sign with certificates of a demo root made on first use (creditportal.signing).
SIGNING_DEMO_CA = env.bool("SIGNING_DEMO_CA", default=True)
