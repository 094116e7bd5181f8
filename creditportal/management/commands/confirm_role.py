"""Confirm a department role at the server console where the department has no head yet (issue 21, R-SEC-6).

A role the security administrator gives counts once a head of the department confirms it on the portal
("Roles to confirm"). A department's first head has nobody to confirm him: the operator who holds the server does,
with the reason and his name, recorded as the ``system`` user. Refused where the department has a head.

    manage.py confirm_role wanghead HK-SAMR head --reason "Appointment order 2026-31" --operator "王工"
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from creditportal import accounts
from creditportal.choices import Role
from creditportal.models import Membership


class Command(BaseCommand):
    help = "Confirm a department role where the department has no head yet (the operator's console path, R-SEC-6)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("department", help="the department's code")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--reason", required=True)
        parser.add_argument("--operator", required=True, help="the name of the person running this command")

    def handle(self, *args, username, department, role, reason, operator, **options):
        membership = Membership.objects.filter(
            user__username=username, department__code=department, role=role, is_active=True
        ).first()
        if membership is None:
            raise CommandError(f"{username!r} has no active {role!r} role in {department!r}.")
        try:
            accounts.membership_confirm_at_console(membership=membership, reason=f"{reason} (console: {operator})")
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"Confirmed: {username} · {department} · {role}.")
