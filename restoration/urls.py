from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.RestorationListView.as_view(), name="restoration_list"),
    path("export/<str:fmt>/", views.RestorationExportView.as_view(), name="restoration_export"),
    path("new/", views.RestorationStartView.as_view(), name="restoration_start"),
    path("queue/", views.RestorationQueueView.as_view(), name="restoration_queue"),
    path("<int:pk>/", views.RestorationDetailView.as_view(), name="restoration_detail"),
    path("<int:pk>/act/<str:act>/", views.RestorationActView.as_view(), name="restoration_act"),
    path("<int:pk>/evidence/", views.RestorationEvidenceView.as_view(), name="restoration_evidence"),
    path("records/<int:pk>/revoked-basis/", views.RevocationCreateView.as_view(), name="revocation_create"),
    path("records/<int:pk>/revoke/", views.RevocationCompleteView.as_view(), name="revocation_complete"),
    path("records/<int:pk>/correct/", views.ProviderCorrectionView.as_view(), name="record_provider_correct"),
    re_path(
        r"^records/(?P<pk>[0-9]+)/(?P<act>hide|show)/$",
        views.TrustworthyVisibilityView.as_view(),
        name="record_trustworthy",
    ),
    path("archive/", views.ArchiveListView.as_view(), name="archive_list"),
    path("archive/<int:pk>/", views.ArchiveDetailView.as_view(), name="archive_detail"),
]
