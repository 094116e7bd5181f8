"""``python manage.py seed_demo``: load the deterministic Hainan demo (the ``demo`` app, demo.seed). Demo only."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Load a deterministic Hainan (HN) demo: departments, demo accounts, the published catalog, measure "
        "lists, designation standards, 200 credit subjects and their credit records. Idempotent: a second "
        "run changes nothing. Demo only: every demo account has the published password " + DEMO_PASSWORD + "."
    )

    def handle(self, *args, **options) -> None:
        tally = seed_demo()
        width = max(len(label) for label, _created, _present in tally.rows())
        self.stdout.write(f"{'model'.ljust(width)}  created  already present")
        for label, created, present in tally.rows():
            self.stdout.write(f"{label.ljust(width)}  {created:7d}  {present:15d}")
        summary = f"Demo data: {tally.created} rows created, {tally.present} already present."
        self.stdout.write(self.style.SUCCESS(summary) if tally.created else summary)
        # the departments' signing certificates, from the demo root (issue 22; a deployment installs its own)
        call_command("signing_certificates", demo=True, stdout=self.stdout)
        if tally.created:
            self.stdout.write(f"Demo accounts (demo only) log in with the password {DEMO_PASSWORD}.")
            self.stdout.write(
                "Supervisors, heads and administrators then type a second-factor code: "
                "manage.py demo_code <username> shows it."
            )
