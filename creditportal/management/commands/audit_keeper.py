"""Issue 21 (GB/T 22239-2019 8.1.4.3 d: the audit process protected from being stopped by anyone but the audit
administrator): the audit ledger's sealer and anchor as a process of their own.

With ``AUDIT_KEEPER=true`` the shared Celery beat no longer seals or anchors (``settings.base``): this process does,
run as its own service under the audit administrator's operating-system account (``deploy/creditportal-audit-keeper
.service``), with the anchor directory only that account may write. Stopping the application's workers or scheduler
does not stop it, and the application's operators cannot stop it; ``audit_verify`` says when entries have waited
more than ten minutes for it (it is not running).

    manage.py audit_keeper                  # seal every 60 s, anchor each day at 01:00 (and at start, if today has none)
    manage.py audit_keeper --once           # one round (monitoring, tests)
"""

import datetime
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from creditportal import ledger


def anchored_today(today: datetime.date) -> bool:
    return any(
        timezone.localtime(datetime.datetime.fromisoformat(anchor["at"])).date() == today
        for anchor in ledger.read_anchors()[0]
    )


class Command(BaseCommand):
    help = "Seal the audit ledger every minute and anchor its head each day: the audit administrator's process."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60, help="seconds between two seals")
        parser.add_argument("--anchor-hour", type=int, default=1, help="the hour (local time) of the daily anchor")
        parser.add_argument("--once", action="store_true", help="one round, then stop")

    def handle(self, *args, every: int, anchor_hour: int, once: bool, **options):
        while True:
            sealed = ledger.seal_all()
            now = timezone.localtime()
            if now.hour >= anchor_hour and not anchored_today(now.date()):
                path = ledger.anchor()
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} anchored: {path}")
            if sealed:
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} sealed {sealed} entries")
            if once:
                return
            time.sleep(every)
