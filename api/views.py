"""The API's endpoints (issue 23): thin, as the pages' views are. Each reads through ``api.selectors`` (the pages'
selectors and scope) and writes through the pages' services, as the credential's service account; every read of a
subject's information is registered in the access log (``api.access``)."""

from __future__ import annotations

from django.core.files import File
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from creditportal.audit import record_event
from creditportal.masking import masked_filters
from creditportal.permissions import department_ids_for, perm_name
from exchange import selectors as import_selectors
from exchange import services as import_services
from exchange.models import RecordImport
from feed.selectors import FeedCursorExpired, FeedCursorInvalid, feed_page
from subjects.models import CreditRecord, CreditSubject
from subjects.services import records as record_services

from . import selectors
from .access import PURPOSE_HEADER, PURPOSE_TEXT_HEADER, register_listed, register_opened, stated_purpose
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import IdempotentCreateMixin
from .serializers import (
    FeedPageSerializer,
    FeedQuery,
    ImportQuery,
    RecordCreateSerializer,
    RecordImportDetailSerializer,
    RecordImportSerializer,
    RecordSerializer,
    SubjectSerializer,
)

PURPOSE_PARAMETERS = [
    OpenApiParameter(
        PURPOSE_HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=False,
        enum=["case", "objection", "restoration", "subject_request", "supervision", "other"],
        description=_("Why this subject's information is read (registered in the access log); default: the key's."),
    ),
    OpenApiParameter(
        PURPOSE_TEXT_HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=False,
        description=_("Case number or explanation (required for “other”)."),
    ),
]
REFUSALS = {
    401: OpenApiResponse(description=_("Not signed, or the signature, its time or its nonce is refused.")),
    403: OpenApiResponse(description=_("The key's role does not allow this.")),
    429: OpenApiResponse(description=_("Too many requests with this key.")),
}


class RecordPagination(CursorPagination):
    """Newest first, by a cursor (stable while records are added; no count)."""

    ordering = "-id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:  # DRF's answer to a cursor it did not issue: a bad parameter, not a missing page
            raise exceptions.ValidationError(
                {"cursor": [_("This cursor was not issued here or was altered: use the link of the last page read.")]}
            ) from None


class LookupQuery(serializers.Serializer):
    id_number = serializers.CharField(
        min_length=4, max_length=32, help_text=_("The identifier: whole, or the beginning of an organisation's code.")
    )


@extend_schema_view(
    get=extend_schema(
        summary=_("Find a subject by its identifier"),
        parameters=[LookupQuery],
        responses={
            200: SubjectSerializer(many=True),
            400: OpenApiResponse(description=_("No identifier given.")),
            **REFUSALS,
        },
    )
)
class SubjectLookupView(generics.GenericAPIView):
    """The subjects with this identifier in the key's department (at most 20)."""

    scope_model = CreditSubject
    serializer_class = SubjectSerializer

    def get(self, request):
        query = LookupQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        subjects = selectors.subject_lookup(user=request.user, id_number=query.validated_data["id_number"])
        # R-SEC-3: the search, its number masked, and each subject it returned, as the subjects list registers them
        record_event(
            action="subjects.subject.searched",
            actor=request.user,
            data={"filters": masked_filters({"id_number": query.validated_data["id_number"]}), "api": True},
        )
        register_listed(request, subjects, subject_path="pk", fields=["name", "masked_id_number"])
        return Response(SubjectSerializer(subjects, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary=_("A subject"),
        parameters=PURPOSE_PARAMETERS,
        responses={200: SubjectSerializer, 404: OpenApiResponse(description=_("Not found.")), **REFUSALS},
    )
)
class SubjectDetailView(generics.RetrieveAPIView):
    scope_model = CreditSubject
    serializer_class = SubjectSerializer

    def get_queryset(self):
        return selectors.subject_queryset(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        stated_purpose(request)  # a wrong purpose is refused before anything is read
        subject = self.get_object()
        register_opened(request, subject, fields=("identity",))
        return Response(self.get_serializer(subject).data)


class RecordFilters(serializers.Serializer):
    updated_from = serializers.DateTimeField(required=False, help_text=_("Changed at or after this time."))
    updated_to = serializers.DateTimeField(required=False, help_text=_("Changed before this time."))
    determined_from = serializers.DateField(required=False, help_text=_("Determined on or after this day."))
    determined_to = serializers.DateField(required=False, help_text=_("Determined on or before this day."))
    subject = serializers.IntegerField(required=False, min_value=1, help_text=_("Only this subject's records."))


@extend_schema_view(
    get=extend_schema(
        summary=_("Credit records"),
        parameters=[RecordFilters],
        responses={200: RecordSerializer(many=True), **REFUSALS},
    ),
    post=extend_schema(
        summary=_("Enter a credit record"),
        parameters=[IDEMPOTENCY_KEY],
        request=RecordCreateSerializer,
        responses={
            201: RecordSerializer,
            400: OpenApiResponse(description=_("A field is missing or of the wrong form.")),
            422: OpenApiResponse(
                description=_("Refused by the law (the catalog, the basis document, the dates): nothing was written.")
            ),
            **REFUSALS,
        },
    ),
)
class RecordListView(IdempotentCreateMixin, generics.ListAPIView):
    """The key's department's records (never archived ones), newest first; and a record entered through the
    lawful-data guard, as on the record form."""

    scope_model = CreditRecord
    serializer_class = RecordSerializer
    pagination_class = RecordPagination

    def get_queryset(self):
        filters = RecordFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.record_queryset(
            user=self.request.user,
            updated_from=data.get("updated_from"),
            updated_to=data.get("updated_to"),
            determined_from=data.get("determined_from"),
            determined_to=data.get("determined_to"),
            subject_id=data.get("subject"),
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        register_listed(request, rows, subject_path="subject_id", fields=["record"])
        return self.get_paginated_response(RecordSerializer(rows, many=True).data)

    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def write(self, request, *args, **kwargs) -> Response:
        shape = RecordCreateSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        data = shape.validated_data
        subject = selectors.subject_queryset(user=request.user).filter(pk=data["subject"]).first()
        if subject is None:
            raise exceptions.ValidationError({"subject": [_("No subject with this number in your department.")]})
        catalog_item = selectors.published_item(code=data["catalog_item"])
        if catalog_item is None:
            raise exceptions.ValidationError(
                {
                    "catalog_item": [
                        _(
                            "This item is not in the published catalog: records are entered only "
                            "against the published catalog (R-CAT-1)."
                        )
                    ]
                }
            )
        basis = dict(data["basis"]) if data.get("basis") else None
        record = record_services.record_create(
            actor=request.user,
            subject=subject,
            catalog_item=catalog_item,
            summary=data["summary"],
            determined_on=data["determined_on"],
            conduct_ended_on=data.get("conduct_ended_on"),
            basis=basis,
            department=request._request.api_credential.department,
            reason=data["reason"] or _gettext("Received from the providing unit through the API"),
            provider_key=data["provider_key"],
        )
        record = get_object_or_404(selectors.record_queryset(user=request.user), pk=record.pk)
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary=_("A credit record"),
        parameters=PURPOSE_PARAMETERS,
        responses={200: RecordSerializer, 404: OpenApiResponse(description=_("Not found.")), **REFUSALS},
    )
)
class RecordDetailView(generics.RetrieveAPIView):
    scope_model = CreditRecord
    serializer_class = RecordSerializer

    def get_queryset(self):
        return selectors.record_queryset(user=self.request.user).select_related("subject")

    def retrieve(self, request, *args, **kwargs):
        stated_purpose(request)
        record = self.get_object()
        register_opened(request, record, fields=("record", "basis"))
        return Response(self.get_serializer(record).data)


class FeedCursorGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "cursor_expired"


@extend_schema_view(
    get=extend_schema(
        summary=_("The change feed"),
        parameters=[FeedQuery],
        responses={
            200: FeedPageSerializer,
            400: OpenApiResponse(description=_("A cursor this server did not issue.")),
            410: OpenApiResponse(
                description=_("The changes after this cursor are no longer kept: restart from the nightly snapshot.")
            ),
            **REFUSALS,
        },
    )
)
class FeedView(generics.GenericAPIView):
    """What changed in what is published or shared, in commit order, each change once (``feed.selectors``): the
    departments whose records the key reads."""

    scope_model = CreditRecord
    serializer_class = FeedPageSerializer

    def get(self, request):
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        departments = department_ids_for(request.user, perm_name(CreditRecord, "view"))
        try:
            page = feed_page(
                after=query.validated_data.get("cursor") or None,
                limit=query.validated_data["limit"],
                department_ids=departments,
            )
        except FeedCursorExpired as refused:
            snapshot = refused.snapshot
            raise FeedCursorGone(
                {
                    "detail": str(refused),
                    "snapshot_cursor": snapshot.cursor if snapshot is not None else None,
                    "snapshot_sha256": snapshot.sha256 if snapshot is not None else None,
                }
            ) from None
        except FeedCursorInvalid as refused:
            raise exceptions.ValidationError({"cursor": [str(refused)]}) from None
        return Response(
            {"entries": [entry.as_json() for entry in page.entries], "cursor": page.cursor, "more": page.more}
        )


#: The most refused rows an import's answer lists (the whole report: the import's page, as CSV).
IMPORT_ERRORS_SHOWN = 1000


class RawUploadParser(BaseParser):
    """The body is the file itself; it is read and hashed as a stream by the authentication (``api_upload``)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


@extend_schema_view(
    post=extend_schema(
        summary=_("Import a file of credit records"),
        parameters=[ImportQuery, IDEMPOTENCY_KEY],
        request={
            "text/csv": OpenApiTypes.BINARY,
            "application/x-ndjson": OpenApiTypes.BINARY,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": OpenApiTypes.BINARY,
        },
        responses={
            202: RecordImportSerializer,
            400: OpenApiResponse(description=_("A field is missing or of the wrong form.")),
            422: OpenApiResponse(description=_("The file cannot be read (format, size, header): nothing is imported.")),
            **REFUSALS,
        },
    )
)
class RecordImportCreateView(IdempotentCreateMixin, generics.GenericAPIView):
    """A file of credit records (CSV, XLSX or JSON Lines, the columns of the import's template) as the request's body;
    imported in the background through the record guards, idempotent by the provider's record key
    (``exchange.services``). Ask ``/imports/{id}/`` for its progress and refused rows."""

    scope_model = RecordImport
    serializer_class = RecordImportSerializer
    parser_classes = [RawUploadParser]
    streamed_body = True

    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def write(self, request, *args, **kwargs) -> Response:
        query = ImportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        upload = getattr(request._request, "api_upload", None)
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Send the file as the request's body.")]})
        job = import_services.record_import_create(
            actor=request.user,
            department=request._request.api_credential.department,
            file=File(upload, name=query.validated_data["name"]),
            reason=query.validated_data["reason"],
        )
        return Response(RecordImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    get=extend_schema(
        summary=_("An import: its progress and refused rows"),
        responses={200: RecordImportDetailSerializer, 404: OpenApiResponse(description=_("Not found.")), **REFUSALS},
    )
)
class RecordImportDetailView(generics.RetrieveAPIView):
    scope_model = RecordImport
    serializer_class = RecordImportDetailSerializer

    def get_queryset(self):
        return import_selectors.record_import_queryset(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        job.errors_shown = list(import_selectors.record_import_errors(job=job, limit=IMPORT_ERRORS_SHOWN))
        return Response(RecordImportDetailSerializer(job).data)
