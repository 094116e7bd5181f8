"""``python scripts/bench [section]``: the whole benchmark, or one section alone (printed, no report written).

Sections: ``data`` (build only), ``lists``, ``load``, ``scope``, ``hooks``, ``expiry``, ``access``, ``public``, ``ledger``.
``python scripts/bench lists load scope --report``: those sections (any of ``lists``, ``load``, ``scope``) measured
again and their parts of docs/benchmarks.md replaced, the rest kept (``bench.report.update``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.test")

from bench import common  # noqa: E402  (sets the database name before Django starts)

common.setup()

from bench import run  # noqa: E402

run.main(sys.argv[1:])
