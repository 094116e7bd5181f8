"""How the API refuses (issue 23): a JSON body ``{"detail": …}`` (or the fields' errors), in the product's language,
rule ids replaced by the deployment's articles as on the pages (``creditportal.citations.for_people``).

- no signature, a bad one, an old one, a replay, a revoked key: 401 (``WWW-Authenticate`` names the scheme);
- a role not in force, or one that does not allow the act: 403; another department's object: 404;
- a body of the wrong shape: 400 with each field's error; the law refusing the act (a service's ``ValidationError``,
  the lawful-data guard): 422 with each field's error, nothing written;
- an ``Idempotency-Key`` sent again with another body: 422; too many requests: 429 with ``Retry-After``.

A refusal does not undo the request's transaction: the services roll back their own writes (each runs in its own
atomic block), so what stays is the receipt of the refused request's nonce, which must stay so that the refused
request cannot be sent again and succeed later (``api.authentication``). Errors that are not refusals (a 500) roll
back everything, as Django's ``ATOMIC_REQUESTS`` does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from creditportal.citations import for_people

#: A service's field names → the API's (a basis document's fields are nested under ``basis``).
BASIS_FIELDS = {"basis_type", "number", "issuing_authority", "effective_on", "simplified_procedure", "file"}


class Refused(exceptions.APIException):
    """The law refuses the act (422): the service's reason, beside the field it names."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("Refused.")
    default_code = "refused"


def refusal(error: DjangoValidationError) -> Refused:
    """A service's ``ValidationError`` as the API's 422, each message cited for people."""
    if hasattr(error, "error_dict"):
        detail: dict = {}
        for field, messages in error.message_dict.items():
            cited = [for_people(m) for m in messages]
            if field in BASIS_FIELDS:
                detail.setdefault("basis", {})[field] = cited
            elif field == "__all__":
                detail.setdefault("non_field_errors", []).extend(cited)
            else:
                detail[field] = cited
        return Refused(detail)
    return Refused({"non_field_errors": [for_people(m) for m in error.messages]})


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = refusal(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(for_people(str(exc)) or _("You may not do this."))
    if isinstance(exc, exceptions.NotAuthenticated):
        header = getattr(exc, "auth_header", None)
        exc = exceptions.NotAuthenticated(
            _("The API answers signed requests only: send the key id, a timestamp, a nonce and the signature.")
        )
        setattr(exc, "auth_header", header)  # noqa: B010  DRF's view sets it on the exception it handles
    elif isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        exc = exceptions.Throttled(wait, detail=str(_("Too many requests with this key: wait before sending more.")))
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django answers 500 and rolls the request back
    headers = {}
    if header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))
    data = exc.detail if isinstance(exc.detail, (list, dict)) else {"detail": exc.detail}
    return Response(cited(data), status=exc.status_code, headers=headers)


def cited(detail):
    """Every message of ``detail`` with its rule ids replaced by the deployment's articles (as on the pages)."""
    if isinstance(detail, dict):
        return {key: cited(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [cited(value) for value in detail]
    return for_people(str(detail))
