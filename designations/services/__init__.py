"""The designation's due process, one service per act (R-DES-1 to R-DES-10).

Every service: checks the actor's permission in the deciding department, locks the row, checks the
transition and its guards (designations/workflow.py), saves with actor and reason (simple-history), writes
a timeline event ``designations.designation.<act>``, and queues side effects (PDF rendering) after commit.
Two people acting at once: the row lock serialises them and the loser is told the case moved on.
"""

from .common import (  # noqa: F401
    DESIGNATION,
    DRAFT_FIELDS,
    STATE_ORGANS,
    ConcurrentChange,
    designation_check_act,
    designation_objection_label,
    profile,
)
from .decision import (  # noqa: F401
    designation_approve,
    designation_correct_decision,
    designation_issue_decision,
    designation_recall,
    designation_reexamine,
    designation_reject,
    designation_remove,
    designation_return,
    designation_serve_decision,
    designation_submit,
    designation_withdraw,
    listing_expired,
)
from .drafting import designation_create, designation_create_from_court_list, designation_update  # noqa: F401
from .endings import designation_end, designations_fall_with_records, ending_act  # noqa: F401
from .hearing import (  # noqa: F401
    designation_close_statements,
    designation_consider_statement,
    designation_issue_notice,
    designation_record_hearing,
    designation_record_statement,
    designation_schedule_hearing,
    designation_serve_notice,
    notice_served_on,
    statement_period_expired,
)
