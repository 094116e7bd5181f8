from django.urls import path

from . import views

urlpatterns = [
    path("", views.SubjectListView.as_view(), name="subject_list"),
    path("new/", views.SubjectCreateView.as_view(), name="subject_create"),
    path("export/<str:fmt>/", views.SubjectExportView.as_view(), name="subject_export"),
    path("<int:pk>/", views.SubjectDetailView.as_view(), name="subject_detail"),
    path("<int:pk>/edit/", views.SubjectUpdateView.as_view(), name="subject_update"),
    path("<int:pk>/records/new/", views.RecordCreateView.as_view(), name="record_create"),
    path("<int:pk>/related/new/", views.RelatedPersonAddView.as_view(), name="related_person_add"),
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/export/<str:fmt>/", views.RecordExportView.as_view(), name="record_export"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
]
