"""Chinese first: the interface speaks ``settings.LANGUAGE_CODE`` (zh-hans) unless the user chose another language.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language`` header, so a caseworker whose browser
was installed in English would meet an English back office. Here the only way to English is the language
switch in the top bar: ``set_language`` stores the choice in the language cookie, which this middleware reads
on every request, so the choice sticks (``LANGUAGE_COOKIE_AGE``) until the user switches back.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext


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


class ProfileMemoMiddleware:
    """The jurisdiction profile in force is read once per request (``creditportal.profiles.memoised``: a page citing
    an article per row read it per row), however many times the page asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .profiles import memoised

        with memoised():
            return self.get_response(request)


class BeforeAnyOtherPage:
    """A step a signed-in user takes before any other page (issue 21): ``pending`` says whether he still owes it,
    ``send`` where he goes; the pages in ``ALLOWED`` (the step's own, logging out, the language switch) stay open."""

    ALLOWED: frozenset[str] = frozenset({"logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not self.pending(request, user):
            return None
        if request.resolver_match is not None and request.resolver_match.view_name in self.ALLOWED:
            return None
        return self.send(request, user)

    def pending(self, request, user) -> bool:
        raise NotImplementedError

    def send(self, request, user):
        raise NotImplementedError


class PasswordChangeRequiredMiddleware(BeforeAnyOtherPage):
    """A user whose password the security administrator set (a new account, a reset) is sent to the password change
    page, and told why, before any other page, until he has changed it (R-SEC-6; issue 21). After the authentication
    and message middleware."""

    ALLOWED = BeforeAnyOtherPage.ALLOWED | {"password_change", "password_change_done"}

    def pending(self, request, user) -> bool:
        return bool(getattr(user, "must_change_password", False))

    def send(self, request, user):
        messages.warning(
            request,
            gettext(
                "The security administrator set your password. Choose a new one that only you know before going on."
            ),
        )
        return redirect("password_change")


class SecondFactorRequiredMiddleware(BeforeAnyOtherPage):
    """A supervisor, head or administrator (``second_factor.needs_second_factor``) signs in with a second factor
    before any other page, the administration included (issue 21): sent to set it up the first time, to type a
    code afterwards. After django-otp's ``OTPMiddleware``."""

    ALLOWED = BeforeAnyOtherPage.ALLOWED | {
        "second_factor_setup",
        "second_factor_verify",
        # a security key on the code page (creditportal.webauthn); registering one needs a verified session
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }

    def pending(self, request, user) -> bool:
        from .second_factor import needs_second_factor

        return not user.is_verified() and needs_second_factor(user)

    def send(self, request, user):
        from .second_factor import confirmed_authenticator

        target = "second_factor_verify" if confirmed_authenticator(user) else "second_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def client_address(request) -> str | None:
    """The address of whoever sent the request, for the login lockout (django-axes' ``AXES_CLIENT_IP_CALLABLE``)
    and the logs (issue 21). Behind a proxy listed in ``TRUSTED_PROXIES`` (deploy/nginx.conf appends the address
    that connected to it to ``X-Forwarded-For``), the right-most address no trusted proxy holds; anything a client
    put in the header itself lies to the left and is never read. From anywhere else, the socket's address."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote


class IdleSessionMiddleware:
    """Issue 21: a session left idle for ``PORTAL_IDLE_MINUTES`` ends (the sign-in ends after ``SESSION_COOKIE_AGE``
    whatever happens): the next request logs out and says why. The last activity is written at most once a minute,
    not on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN, now)
            if now - last > settings.PORTAL_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    gettext("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                    % {"minutes": settings.PORTAL_IDLE_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if now - last >= 60 or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


#: The session key of the last activity (seconds since the epoch).
LAST_SEEN = "creditportal_last_seen"


def signed_in(sender, request, user, **kwargs) -> None:
    """The sign-in is the first activity (``user_logged_in``): the requests of the next minute write nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
