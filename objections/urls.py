from django.urls import path

from . import views

urlpatterns = [
    path("", views.ObjectionListView.as_view(), name="objection_list"),
    path("new/", views.ObjectionReceiveView.as_view(), name="objection_receive"),
    path("export/<str:fmt>/", views.ObjectionExportView.as_view(), name="objection_export"),
    path("<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
    path("<int:pk>/evidence/", views.ObjectionEvidenceView.as_view(), name="objection_evidence"),
    path("<int:pk>/act/<str:act>/", views.ObjectionActView.as_view(), name="objection_act"),
    # on a designation's case page (the designation's pk): receive and decide objections to it (R-DES-2)
    path("designation/<int:pk>/", views.ObjectionReceiveOnDesignationView.as_view(), name="designation_objection"),
    path(
        "designation/<int:pk>/<int:objection_pk>/decide/",
        views.ObjectionDecideView.as_view(),
        name="designation_objection_decide",
    ),
]
