from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.SubjectListView.as_view(), name="subject_list"),
    path("new/", views.SubjectCreateView.as_view(), name="subject_create"),
    path("export/<str:fmt>/", views.SubjectExportView.as_view(), name="subject_export"),
    path("<int:pk>/", views.SubjectDetailView.as_view(), name="subject_detail"),
    path("<int:pk>/edit/", views.SubjectUpdateView.as_view(), name="subject_update"),
    path("<int:pk>/records/new/", views.RecordCreateView.as_view(), name="record_create"),
    path("<int:pk>/reports/new/", views.CreditReportCreateView.as_view(), name="credit_report_create"),
    path("reports/<int:pk>/revoke/", views.CreditReportRevokeView.as_view(), name="credit_report_revoke"),
    path(
        "<int:pk>/authorisations/new/",
        views.InquiryAuthorisationCreateView.as_view(),
        name="inquiry_authorisation_create",
    ),
    path(
        "authorisations/<int:pk>/withdraw/",
        views.InquiryAuthorisationWithdrawView.as_view(),
        name="inquiry_authorisation_withdraw",
    ),
    path("<int:pk>/service-consents/new/", views.ServiceConsentCreateView.as_view(), name="service_consent_create"),
    path(
        "service-consents/<int:pk>/withdraw/",
        views.ServiceConsentWithdrawView.as_view(),
        name="service_consent_withdraw",
    ),
    path(
        "service-consents/<int:pk>/confirmation/",
        views.ServiceConsentDocumentView.as_view(),
        name="service_consent_document",
    ),
    path(
        "authorisations/<int:pk>/document/",
        views.InquiryAuthorisationDocumentView.as_view(),
        name="inquiry_authorisation_document",
    ),
    path("<int:pk>/related/new/", views.RelatedPersonAddView.as_view(), name="related_person_add"),
    path("access-log/", views.AccessLogListView.as_view(), name="access_log"),
    path("access-log/export/<str:fmt>/", views.AccessLogExportView.as_view(), name="access_log_export"),
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/export/<str:fmt>/", views.RecordExportView.as_view(), name="record_export"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
    path(
        "records/<int:pk>/deletion-application/",
        views.RecordDeletionApplicationView.as_view(),
        name="record_deletion_application",
    ),
    path(
        "records/<int:pk>/sharing-notice/served/",
        views.SharingNoticeServeView.as_view(),
        name="record_sharing_notice_serve",
    ),
    path(
        "records/<int:pk>/restoration-notice/served/",
        views.RestorationInfoServeView.as_view(),
        name="record_restoration_info_serve",
    ),
]

#: A record's own acts (issue 17 moved them here from restoration). Their addresses stay where they were,
#: /restoration/records/<pk>/…, which bookmarks and the journeys use: restoration/urls.py includes this list.
record_act_urlpatterns = [
    path("<int:pk>/revoked-basis/", views.RevocationCreateView.as_view(), name="revocation_create"),
    path("<int:pk>/revoke/", views.RevocationCompleteView.as_view(), name="revocation_complete"),
    path("<int:pk>/correct/", views.ProviderCorrectionView.as_view(), name="record_provider_correct"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<act>hide|show|delete)/$",
        views.TrustworthyVisibilityView.as_view(),
        name="record_trustworthy",
    ),
]
