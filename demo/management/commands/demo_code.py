"""Demo only (issue 21): the one-time code a demo supervisor's, head's or administrator's authenticator app would
show now, for the second factor of the demo accounts (README "Demo accounts"). Reads only the demo's own
authenticators; a real user's key is never shown.

    manage.py demo_code hk-supervisor
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.organisation import DEMO_DEVICE


class Command(BaseCommand):
    help = "Show the current second-factor code of a demo account (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE, confirmed=True).first()
        if device is None:
            raise CommandError(
                _("%(user)s has no demo authenticator: only the demo's supervisors, heads and administrators have one.")
                % {"user": username}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
