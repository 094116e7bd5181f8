from django.urls import path

from . import views

urlpatterns = [
    path("", views.ObjectionListView.as_view(), name="objection_list"),
    path("export/<str:fmt>/", views.ObjectionExportView.as_view(), name="objection_export"),
    path("<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
    # on a designation's case page (the designation's pk): receive and decide objections to it (R-DES-2)
    path("designation/<int:pk>/", views.ObjectionReceiveView.as_view(), name="designation_objection"),
    path(
        "designation/<int:pk>/<int:objection_pk>/decide/",
        views.ObjectionDecideView.as_view(),
        name="designation_objection_decide",
    ),
]
