"""Issue an API key for a department (issue 23), as the security administrator named by ``--by``; the secret is
printed this once and never again (it is kept sealed). The key's role counts once a head of the department confirms
it on the "roles awaiting confirmation" page (or ``manage.py confirm_role`` where the department has no head yet).

    manage.py api_credential_issue HK-SAMR --name "海口市场监管执法系统" --by secadmin --reason "数据报送对接，文号…"
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services
from creditportal.choices import AccessPurpose
from creditportal.models import Department, User


class Command(BaseCommand):
    help = "Issue an API key for a department; prints the key id and the secret once."

    def add_arguments(self, parser):
        parser.add_argument("department", help="the department's code")
        parser.add_argument("--name", required=True, help="who uses the key: a system or a unit")
        parser.add_argument("--by", required=True, help="the security administrator's username")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--role", default="caseworker", choices=[str(r) for r in services.CREDENTIAL_ROLES])
        parser.add_argument("--purpose", default=AccessPurpose.CASE, choices=AccessPurpose.values)
        parser.add_argument("--purpose-text", default="")

    def handle(self, *args, department, name, by, reason, role, purpose, purpose_text, **options):
        unit = Department.objects.filter(code=department).first()
        actor = User.objects.filter(username=by).first()
        if unit is None or actor is None:
            raise CommandError("No such department or account.")
        try:
            credential, secret = services.credential_issue(
                department=unit,
                actor=actor,
                reason=reason,
                name=name,
                role=role,
                purpose=purpose,
                purpose_text=purpose_text,
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"key id: {credential.key_id}\nsecret: {secret}\nservice account: {credential.user.username}")
