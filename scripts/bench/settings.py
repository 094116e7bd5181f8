"""The settings gunicorn serves the bench with (``bench.load``): the suite's settings on the bench database, with
the production's persistent connections and a URLconf of the bench's own (``bench.urls``: the application's URLs
plus the bare page, which the application's URLconf never has)."""

import os

from creditportal.settings.test import *  # noqa: F403  (settings modules are the one place star imports are idiomatic)
from creditportal.settings.test import DATABASES, TEMPLATES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 60  # as deployed (creditportal.settings.base), not the suite's 0
DATABASES["replica"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False}
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], os.path.join(os.path.dirname(__file__), "templates")]
