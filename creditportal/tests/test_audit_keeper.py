"""Issue 21 (GB/T 22239-2019 8.1.4.3 d): the audit ledger's sealer and anchor as the audit administrator's own
process: one round seals what is waiting and anchors the day once; with AUDIT_KEEPER the shared scheduler does
neither."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from creditportal import ledger
from creditportal.audit import record_event
from creditportal.models import LedgerEntry

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_r_sec_4_the_keeper_seals_what_waits_and_anchors_each_day_once(sysadmin, settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    record_event(action="creditportal.test.keeper", actor=sysadmin, reason="待封存")
    assert LedgerEntry.objects.filter(hash__isnull=True).exists()
    out = StringIO()
    call_command("audit_keeper", once=True, anchor_hour=0, stdout=out)
    assert not LedgerEntry.objects.filter(hash__isnull=True).exists()
    anchors, forged = ledger.read_anchors(tmp_path)
    assert len(anchors) == 1 and not forged and "anchored" in out.getvalue()
    call_command("audit_keeper", once=True, anchor_hour=0, stdout=StringIO())
    assert len(ledger.read_anchors(tmp_path)[0]) == 1  # the day has its anchor


@pytest.mark.parametrize(("keeper", "scheduled"), [("false", True), ("true", False)])
def test_r_sec_4_with_the_keeper_the_shared_scheduler_neither_seals_nor_anchors(keeper, scheduled):
    env = {**os.environ, "AUDIT_KEEPER": keeper, "DJANGO_SETTINGS_MODULE": "creditportal.settings.test"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(k for k in settings.CELERY_BEAT_SCHEDULE if k.startswith('ledger-')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert ("ledger-seal" in done.stdout) is scheduled and ("ledger-anchor" in done.stdout) is scheduled
