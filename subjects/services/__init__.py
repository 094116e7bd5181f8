"""Writes of the subjects app. A form validates shape; these validate the law.

- ``subject``: credit subjects and the persons related to them (R-CAT-8, R-REC-2);
- ``records``: a record entered through the lawful-data guard and its life (``subjects/workflow.py``), the
  "under objection" label;
- ``record_acts``: a revoked basis (R-RES-6), the provider's own correction (R-REC-4), trustworthiness information
  hidden or shown at the subject's request, or deleted and archived where the regulation says so (R-REC-5), each with its clock on the record; the service of the written
  notice before sharing (R-REC-3, HB 22).
"""

from .record_acts import (  # noqa: F401
    record_provider_correct,
    restoration_info_serve,
    revocation_complete,
    revocation_receive,
    sharing_notice_serve,
    trustworthy_delete,
    trustworthy_hide,
)
from .records import (  # noqa: F401
    BASIS_FIELDS,
    CORRECTABLE,
    objection_label_set,
    record_archive,
    record_correct,
    record_create,
    record_hide,
    record_resume,
    record_revoke,
    record_show,
    record_suspend,
    record_withdraw,
)
from .reports import (  # noqa: F401
    authorisation_register,
    authorisation_withdraw,
    credit_report_issue,
    credit_report_revoke,
)
from .service_consent import service_consent_register, service_consent_withdraw  # noqa: F401
from .subject import SUBJECT_FIELDS, related_person_add, related_person_register, subject_create, subject_update  # noqa: F401
