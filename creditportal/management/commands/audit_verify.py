"""Issue 21: verify the audit ledger (``creditportal.ledger``) — every link of the hash chain, every entry against
the row it copies, every audited row against the ledger, and the signed anchors of its head.

    manage.py audit_verify                      # the whole ledger, with the anchors in AUDIT_ANCHOR_DIR
    manage.py audit_verify --since 120000       # from place 120000 in the chain (trusting the one before it)
    manage.py audit_verify --anchors /media/usb/anchors

It seals first (what beat would chain next). Exit status 0 when the ledger is intact, 1 with the first findings listed (an edit, a deletion, an insertion, a
reordering, a truncated tail, a row changed or deleted in its own table, a row that never reached the ledger).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from creditportal import ledger


class Command(BaseCommand):
    help = "Verify the audit ledger: the hash chain, the copies, the rows and the anchors."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, help="start at this place in the chain (the one before is trusted)")
        parser.add_argument("--anchors", type=Path, help="the directory of signed anchors (default AUDIT_ANCHOR_DIR)")

    def handle(self, *args, since=None, anchors=None, **options):
        ledger.seal_all()  # what beat would chain next, first: then every committed entry is in the chain
        found, forged = ledger.read_anchors(anchors)
        report = ledger.verify(since=since, anchors=found)
        for name in forged:
            self.stderr.write(
                _("anchor %(name)s: its signature does not hold (forged or another key)") % {"name": name}
            )
        head = (
            _("head #%(entry)s %(hash)s") % {"entry": report.head[0], "hash": report.head[1]}
            if report.head
            else _("empty")
        )
        self.stdout.write(
            _("%(entries)d entries checked, %(anchors)d anchors; %(head)s")
            % {"entries": report.entries, "anchors": len(found), "head": head}
        )
        if report.intact and not forged:
            self.stdout.write(_("the audit ledger is intact"))
            return
        for finding in report.findings:
            self.stderr.write(_("broken: %(finding)s") % {"finding": finding})
        raise CommandError(_("the audit ledger is not intact"), returncode=1)
