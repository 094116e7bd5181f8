"""Revoke an API key at once (issue 23), as the security administrator named by ``--by``.

manage.py api_credential_revoke cp0123456789abcdef0123 --by secadmin --reason "密钥泄露"
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.models import ApiCredential
from creditportal.models import User


class Command(BaseCommand):
    help = "Revoke an API key: its requests are refused from now on."

    def add_arguments(self, parser):
        parser.add_argument("key_id")
        parser.add_argument("--by", required=True, help="the security administrator's username")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, key_id, by, reason, **options):
        credential = ApiCredential.objects.filter(key_id=key_id).first()
        actor = User.objects.filter(username=by).first()
        if credential is None or actor is None:
            raise CommandError("No such key or account.")
        try:
            services.credential_revoke(credential=credential, actor=actor, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"{key_id}: revoked.")
