"""The batch import's states (issue 23): only the job runner moves a job, so every act is internal."""

from django.utils.translation import gettext_lazy

from creditportal.workflow import Transition, Workflow

from .choices import ImportStatus

RECORD_IMPORT = Workflow(
    field_name="status",
    state_labels=dict(ImportStatus.choices),
    transitions=[
        Transition(
            "start",
            # running: a job whose worker died is taken over by the next one (its heartbeat went stale)
            frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING}),
            ImportStatus.RUNNING,
            gettext_lazy("Start"),
            internal=True,
        ),
        Transition(
            "finish",
            frozenset({ImportStatus.RUNNING}),
            ImportStatus.DONE,
            gettext_lazy("Finish"),
            internal=True,
        ),
        Transition(
            "fail",
            frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING}),
            ImportStatus.FAILED,
            gettext_lazy("Fail"),
            internal=True,
        ),
    ],
)
