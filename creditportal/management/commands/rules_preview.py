"""R-NAT-6 (issue 20): what a rule set would change, before it is published — every displayed record (and every
date another app registers) whose date it moves, old and new side by side, as CSV on standard output or a file.

    manage.py rules_preview 3                 # the draft rule set #3
    manage.py rules_preview 3 --output p.csv
    manage.py rules_preview --national-on 2026-04-01   # the published national set in force that day, re-run
"""

import csv
import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from creditportal.models import RuleSet
from creditportal.rules import ruleset_on, ruleset_preview

HEADERS = ("kind", "id", "what", "old date", "new date")


class Command(BaseCommand):
    help = "List the dates a rule set would change (R-NAT-6), as CSV."

    def add_arguments(self, parser):
        parser.add_argument("ruleset", nargs="?", type=int, help="the rule set's id")
        parser.add_argument(
            "--national-on", type=datetime.date.fromisoformat, help="the national set in force that day"
        )
        parser.add_argument("--output", help="a CSV file to write (default: standard output)")

    def handle(self, *args, ruleset=None, national_on=None, output=None, **options):
        if ruleset is not None:
            candidate = RuleSet.objects.filter(pk=ruleset).first()
        elif national_on is not None:
            candidate = ruleset_on(national_on)
        else:
            raise CommandError(_("Name a rule set, or a day with --national-on."))
        if candidate is None:
            raise CommandError(_("No such rule set."))
        stream = open(output, "w", newline="", encoding="utf-8-sig") if output else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(stream)
            writer.writerow(HEADERS)
            count = 0
            for kind, pk, label, old, new in ruleset_preview(candidate):
                writer.writerow([kind, pk, label, old.isoformat() if old else "", new.isoformat() if new else ""])
                count += 1
        finally:
            if output:
                stream.close()
        self.stderr.write(_("%(n)d dates would change.") % {"n": count})
