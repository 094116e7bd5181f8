"""Give, change or remove an account's system role at the server console (R-SEC-6).

The one path for what the admin pages refuse (``creditportal.accounts``, rule 3): making someone security
administrator, and changing or removing an existing administrator's role. Run by the operator who holds the
server, not by an administrator in the browser; recorded as the ``system`` user with the reason and the
operator's name in the history and the audit log. Rule 1 holds here too: an administrator has no active
department role.

    manage.py set_system_role secadmin2 security_admin --reason "Second security administrator, order 2026-14" \\
        --operator "王工"
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from creditportal import accounts
from creditportal.audit import system_user
from creditportal.choices import SystemRole
from creditportal.models import User


class Command(BaseCommand):
    help = "Give, change or remove an account's system role (the operator's console path, R-SEC-6)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[v or "none" for v in SystemRole.values])
        parser.add_argument("--reason", required=True)
        parser.add_argument("--operator", required=True, help="the name of the person running this command")

    def handle(self, *args, username, role, reason, operator, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        try:
            accounts.user_set_system_role(
                user=user,
                system_role="" if role == "none" else role,
                actor=system_user(),
                reason=f"{reason} (console: {operator})",
                console=True,
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"{username}: system role {role}.")
