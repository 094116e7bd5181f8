from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import BasisRevocation, RestorationApplication


@admin.register(RestorationApplication)
class RestorationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "method", "state", "received_at", "department"]
    list_filter = ["state", "method"]
    raw_id_fields = ["subject", "designation", "record"]


@admin.register(BasisRevocation)
class BasisRevocationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "record", "ground", "legal_document", "received_on", "revoked_at", "department"]
    list_filter = ["ground"]
    raw_id_fields = ["record", "revoked_by"]
