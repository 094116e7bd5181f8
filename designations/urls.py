from django.urls import path

from . import views

urlpatterns = [
    path("", views.DesignationListView.as_view(), name="designation_list"),
    path("queue/", views.WorkQueueView.as_view(), name="designation_queue"),
    path("export/<str:fmt>/", views.DesignationExportView.as_view(), name="designation_export"),
    path("new/subject/<int:pk>/", views.DesignationCreateView.as_view(), name="designation_create"),
    path("new/subject/<int:pk>/court-list/", views.CourtListCreateView.as_view(), name="designation_create_court"),
    path("<int:pk>/", views.DesignationDetailView.as_view(), name="designation_detail"),
    path("<int:pk>/edit/", views.DesignationUpdateView.as_view(), name="designation_update"),
    path("<int:pk>/act/<str:act>/", views.DesignationActView.as_view(), name="designation_act"),
    path("<int:pk>/statements/", views.StatementView.as_view(), name="designation_statement"),
    path(
        "<int:pk>/statements/<int:statement_pk>/consider/",
        views.StatementConsiderView.as_view(),
        name="designation_statement_consider",
    ),
    path("<int:pk>/hearings/", views.HearingScheduleView.as_view(), name="designation_hearing"),
    path(
        "<int:pk>/hearings/<int:hearing_pk>/minutes/",
        views.HearingMinutesView.as_view(),
        name="designation_hearing_minutes",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/sent/", views.DocumentSentView.as_view(), name="designation_document_sent"
    ),
    path(
        "<int:pk>/statements/<int:item_pk>/file/",
        views.DesignationFileView.as_view(kind="statement"),
        name="designation_statement_file",
    ),
    path(
        "<int:pk>/hearings/<int:item_pk>/file/",
        views.DesignationFileView.as_view(kind="minutes"),
        name="designation_minutes_file",
    ),
    path(
        "<int:pk>/services/<int:item_pk>/proof/",
        views.DesignationFileView.as_view(kind="proof"),
        name="designation_proof_file",
    ),
    path(
        "<int:pk>/objections/<int:item_pk>/evidence/",
        views.DesignationFileView.as_view(kind="evidence"),
        name="designation_evidence_file",
    ),
]
