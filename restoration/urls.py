from django.urls import include, path

from subjects.urls import record_act_urlpatterns

from . import views

urlpatterns = [
    path("", views.RestorationListView.as_view(), name="restoration_list"),
    path("export/<str:fmt>/", views.RestorationExportView.as_view(), name="restoration_export"),
    path("new/", views.RestorationStartView.as_view(), name="restoration_start"),
    path("receive/", views.RestorationReceiveView.as_view(), name="restoration_receive"),
    path("queue/", views.RestorationQueueView.as_view(), name="restoration_queue"),
    path("<int:pk>/", views.RestorationDetailView.as_view(), name="restoration_detail"),
    path("<int:pk>/act/<str:act>/", views.RestorationActView.as_view(), name="restoration_act"),
    path("<int:pk>/evidence/", views.RestorationEvidenceView.as_view(), name="restoration_evidence"),
    # A record's own acts are the subjects app's; they keep their addresses here.
    path("records/", include(record_act_urlpatterns)),
    path("archive/", views.ArchiveListView.as_view(), name="archive_list"),
    path("archive/<int:pk>/", views.ArchiveDetailView.as_view(), name="archive_detail"),
]
