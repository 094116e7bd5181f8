"""List the departments' signing certificates (issue 22, creditportal.signing); ``--demo`` issues the missing ones
from the demo root, for trying the product (a deployment installs its certification authority's in SIGNING_DIR)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from creditportal import signing
from creditportal.models import Department


class Command(BaseCommand):
    help = "List the departments' document-signing certificates; --demo issues missing ones from the demo root."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="issue missing certificates from the demo root")

    def handle(self, *args, demo: bool = False, **options) -> None:
        signer = signing.PyHankoSigner()
        issued = 0
        for department in Department.objects.filter(is_active=True).order_by("code"):
            if demo and not signer.has_certificate(department):
                signing.demo_certificate_issue(department)
                issued += 1
            state = "certificate" if signer.has_certificate(department) else "NONE: documents stored unsigned"
            self.stdout.write(f"{department.code:24} {state}")
        self.stdout.write(f"{issued} certificates issued from the demo root; SIGNING_DIR={settings.SIGNING_DIR}")
