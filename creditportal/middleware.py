"""Chinese first: the interface speaks ``settings.LANGUAGE_CODE`` (zh-hans) unless the user chose another language.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language`` header, so a caseworker whose browser
was installed in English would meet an English back office. Here the only way to English is the language
switch in the top bar: ``set_language`` stores the choice in the language cookie, which this middleware reads
on every request, so the choice sticks (``LANGUAGE_COOKIE_AGE``) until the user switches back.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str | None:
    """The language the user chose with the language switch, if it is one we offer."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class ChineseFirstLocaleMiddleware:
    """Activate the chosen language, else the product's default; never the browser's ``Accept-Language``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RequestIdMiddleware:
    """Every request gets an id (issue 12): the proxy's ``X-Request-ID`` when sensible, else a new one; it is on
    every log line written while the request runs and in the tasks it queues (``creditportal.logging``), and
    goes back to the client in the response's ``X-Request-ID``. First in the chain, so that everything after it
    logs under the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .logging import REQUEST_ID_HEADER, accepted_request_id, bound_request_id, current_request_id

        # Bound already when the request started (creditportal.logging), from the same header.
        request_id = current_request_id.get() or accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        with bound_request_id(request_id):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
