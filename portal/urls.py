"""The subject portal's addresses (issue 22), under /my/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="portal_home"),
    path("signin/", views.SignInView.as_view(), name="portal_signin"),
    path("signin/code/", views.CodeView.as_view(), name="portal_code"),
    path("signout/", views.SignOutView.as_view(), name="portal_signout"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="portal_document"),
    path(
        "objections/record/<int:pk>/",
        views.ObjectionView.as_view(),
        {"kind": "record"},
        name="portal_objection_record",
    ),
    path(
        "objections/designation/<int:pk>/",
        views.ObjectionView.as_view(),
        {"kind": "designation"},
        name="portal_objection_designation",
    ),
    path(
        "restoration/record/<int:pk>/",
        views.RestorationView.as_view(),
        {"kind": "record"},
        name="portal_restoration_record",
    ),
    path(
        "restoration/designation/<int:pk>/",
        views.RestorationView.as_view(),
        {"kind": "designation"},
        name="portal_restoration_designation",
    ),
    path("act-for/", views.ActForView.as_view(), name="portal_act_for"),
    path("reports/new/", views.ReportRequestView.as_view(), name="portal_report_request"),
    path("agents/new/", views.AgentAuthoriseView.as_view(), name="portal_agent_authorise"),
    path("agents/<int:pk>/withdraw/", views.AgentWithdrawView.as_view(), name="portal_agent_withdraw"),
]
