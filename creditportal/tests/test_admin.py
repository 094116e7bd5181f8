"""The admin: for the three system roles only, every model registered, nothing deleted (R-SEC-4, R-SEC-6)."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from creditportal.choices import SystemRole
from creditportal.models import Department
from creditportal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["creditportal", "catalog", "subjects", "designations", "objections", "restoration"]


def _models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_model_is_in_the_admin():
    missing = [m._meta.label for m in _models() if not admin.site.is_registered(m)]
    assert not missing


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m._meta.label_lower)
def test_the_system_administrator_opens_every_model_and_deletes_nothing(client, sysadmin, model, rf):
    client.force_login(sysadmin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    expected = 403 if model._meta.label_lower == "creditportal.auditevent" else 200
    assert response.status_code == expected
    request = rf.get(url)
    request.user = sysadmin
    assert not admin.site._registry[model].has_delete_permission(request)


def test_a_caseworker_cannot_enter_the_admin_even_as_staff(client, caseworker_a):
    caseworker_a.is_staff = True
    caseworker_a.save()
    client.force_login(caseworker_a)
    assert client.get(reverse("admin:index")).status_code == 302


def test_system_roles_do_not_do_each_others_work(client):
    secadmin = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    auditadmin = UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)
    client.force_login(secadmin)
    assert client.get(reverse("admin:creditportal_user_add")).status_code == 200
    assert client.get(reverse("admin:catalog_catalogitem_changelist")).status_code == 403
    client.force_login(auditadmin)
    assert client.get(reverse("admin:creditportal_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:creditportal_user_add")).status_code == 403
    assert client.get(reverse("admin:creditportal_department_add")).status_code == 403


def test_an_admin_change_records_the_reason(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(reverse("admin:creditportal_department_add"), {
        "code": "HN-TAX", "name": "国家税务总局海南省税务局", "name_en": "Hainan Tax Service", "document_prefix": "琼税",
        "level": "province", "kind": "industry_regulator", "is_active": "on", "change_reason": "New provider",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Department.objects.get(code="HN-TAX").history.get()
    assert (entry.history_user, entry.history_change_reason) == (sysadmin, "New provider")


def test_no_administrator_can_grant_superuser_or_per_user_permissions(client):
    secadmin = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    client.force_login(secadmin)
    html = client.get(reverse("admin:creditportal_user_change", args=[secadmin.pk])).content.decode()
    assert 'name="system_role"' in html
    for field in ("is_superuser", "user_permissions", "groups"):
        assert f'name="{field}"' not in html


def test_the_catalog_is_read_only_in_the_admin(client, sysadmin):
    """Publication goes through the catalog pages and their four-eyes workflow (R-CAT-1)."""
    client.force_login(sysadmin)
    assert client.get(reverse("admin:catalog_catalogversion_add")).status_code == 403
