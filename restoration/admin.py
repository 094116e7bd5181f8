from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import RestorationApplication


@admin.register(RestorationApplication)
class RestorationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "method", "state", "received_at", "department"]
    list_filter = ["state", "method"]
    raw_id_fields = ["subject", "designation", "record"]
