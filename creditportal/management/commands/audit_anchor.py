"""Issue 21: anchor the audit ledger's head now — a signed file in AUDIT_ANCHOR_DIR (``creditportal.ledger``),
as Celery beat does each night. The audit administrator keeps these files outside the database."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from creditportal import ledger


class Command(BaseCommand):
    help = "Write the audit ledger's head, signed, to AUDIT_ANCHOR_DIR."

    def handle(self, *args, **options):
        path = ledger.anchor()
        self.stdout.write(str(path) if path else _("the audit ledger is empty: nothing to anchor"))
