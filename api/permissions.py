"""Who may use which endpoint: the credential's service account, by its role in its department, as on the pages
(``creditportal.roles``; a view declares ``scope_model`` and reads through the scope, so another department's row
is a 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from creditportal.permissions import active_roles, has_case_permission

SAFE = ("GET", "HEAD", "OPTIONS")


class HasDepartmentRole(permissions.BasePermission):
    """A signed request of a credential whose service account holds a confirmed role in its department (R-SEC-6:
    a role counts once the department's head confirmed it), with the model permission the method needs."""

    message = _("This key's role in its department is not in force (not yet confirmed by the head, or ended).")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if not active_roles(user):
            return False
        model = getattr(view, "scope_model", None)
        if model is None:
            return True
        action = "view" if request.method in SAFE else getattr(view, "write_action", "add")
        if not has_case_permission(user, model, action):
            self.message = _("This key's role does not allow this.")
            return False
        return True
