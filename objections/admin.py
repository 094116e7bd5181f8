from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from creditportal.admin_base import ReadOnlyAdmin
from creditportal.masking import mask_contact

from .models import Objection


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "ground", "state", "received_at", "due_date", "department"]
    list_filter = ["state", "ground"]
    raw_id_fields = ["subject", "record", "designation"]
    # R-DIS-4 (issue 21): the system administrator is none of the case's authorised staff: the applicant's phone or
    # address is shown masked (creditportal.masking)
    exclude = ["applicant_contact"]
    readonly_fields = ["masked_contact"]

    @admin.display(description=_("applicant's address or telephone"))
    def masked_contact(self, obj) -> str:
        return mask_contact(obj.applicant_contact)
