from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import Objection


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "ground", "state", "received_at", "due_date", "department"]
    list_filter = ["state", "ground"]
    raw_id_fields = ["subject", "record", "designation"]
