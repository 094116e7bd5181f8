"""manage.py api_credential_reseal: the API keys' secrets sealed again under the newest identity key (run it with
``rotate_identity_keys``, before the older key is removed: docs/security.md)."""

from django.core.management.base import BaseCommand

from api import services
from creditportal.audit import system_user


class Command(BaseCommand):
    help = "Seal every API key's secret again under the newest identity key (after rotate_identity_keys)."

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="API key secrets sealed under the newest key")

    def handle(self, *args, reason: str, **options):
        count = services.credential_secrets_reseal(actor=system_user(), reason=reason)
        self.stdout.write(f"{count} API key secrets sealed again under the newest key.")
