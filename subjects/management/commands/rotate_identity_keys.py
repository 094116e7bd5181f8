"""manage.py rotate_identity_keys: every natural person's number encrypted again under the newest key."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from creditportal.audit import system_user

from ...services.identity import identity_keys_rotate


class Command(BaseCommand):
    help = (
        "Encrypt every natural person's identity number again under the newest key (the first of "
        "PORTAL_IDENTITY_KEYS), while the portal runs; then the older keys may be removed (docs/security.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="Rows locked and re-encrypted at a time.")
        parser.add_argument("--reason", default="", help="Why the keys were rotated (kept on the audit event).")

    def handle(self, *args, batch: int, reason: str, **options):
        count = identity_keys_rotate(
            actor=system_user(), reason=reason or _("Identity number keys rotated"), batch=batch
        )
        self.stdout.write(_("%(n)d identity numbers encrypted again under the newest key.") % {"n": count})
