"""Worker memory over many renders (issue 12): render one two-page Chinese document N times through
``creditportal.pdf.html_to_pdf`` — what a Celery worker does — and print the resident memory along the way.

Usage: ``.venv/bin/python scripts/render_memory.py 1000`` (no database needed; figures go to docs/benchmarks.md).
"""

from __future__ import annotations

import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")
os.environ.setdefault("LOG_FORMAT", "text")

import django  # noqa: E402

django.setup()

from django.template import engines  # noqa: E402

from creditportal import pdf  # noqa: E402

PARAGRAPH = (
    "<p class='indent'>第{i}条 当事人于2026年3月多次销售超过保质期的食品，经查证属实。海口市市场监督管理局依法作出"
    "决定，列入严重失信主体名单。</p>"
)
CHECKPOINTS = (1, 10, 50, 100, 200, 300, 500, 750, 1000, 2000)


def resident_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def main(renders: int) -> None:
    body = "".join(PARAGRAPH.format(i=i) for i in range(60))
    template = '{% extends "creditportal/pdf/base.html" %}{% block body %}' + body + "{% endblock %}"
    html = engines["django"].from_string(template).render({"document": None})
    started = time.monotonic()
    for i in range(1, renders + 1):
        pdf.html_to_pdf(html)
        if i in CHECKPOINTS or i == renders:
            gc.collect()
            print(f"renders {i:5d}  resident {resident_mb():4d} MB  {time.monotonic() - started:6.0f} s", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
