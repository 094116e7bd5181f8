"""A double submit creates one object (issue 16).

Every create form carries a hidden ``submit_token``, fresh each time the empty form is shown. The view that
creates (``SubmitOnceMixin``) records the token in ``SubmitToken`` — a unique column — in the request's own
transaction (``ATOMIC_REQUESTS``), before it creates anything, and stores there the address the create
redirected to. A second POST of the same token (the button pressed twice, the page sent again) cannot insert
the row: PostgreSQL makes it wait until the first request commits, then refuses it; the second request answers
with a redirect to what the first created and says so. No check-then-insert: the unique index is the lock.
A refused form (nothing created) gives its token back, so the corrected form can be sent again."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import SubmitToken

FIELD = "submit_token"


def new_token() -> str:
    return uuid.uuid4().hex


def token_field() -> forms.CharField:
    """The hidden field: a new token each time an empty form is rendered."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=new_token, max_length=64)


class SubmitOnceForm(forms.Form):
    """For a create form rendered on a page other than its view's own (a case page's panel)."""

    submit_token = token_field()


class SubmitOnceMixin:
    """For a view that creates something on POST and redirects to it. Put it first among the bases."""

    request: HttpRequest

    def get_form(self, form_class=None):
        form = super().get_form(form_class)  # type: ignore[misc]  # a mixin: the view it is combined with defines it
        if FIELD not in form.fields:
            form.fields[FIELD] = token_field()
        return form

    def post(self, request, *args, **kwargs):
        # a form with a prefix (a case page holds several) sends "<prefix>-submit_token"
        token = next((v for k, v in request.POST.items() if k == FIELD or k.endswith(f"-{FIELD}")), "").strip()
        if not token or len(token) > 64 or not request.user.is_authenticated:
            return super().post(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: the view it is combined with defines it
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the request's transaction usable
                receipt = SubmitToken.objects.create(token=token, user=request.user, path=request.path[:2000])
        except IntegrityError:
            return self.replay(request, token)
        response = super().post(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: the view it is combined with defines it
        if 300 <= response.status_code < 400 and response.get("Location"):
            receipt.result_url = response["Location"][:2000]
            receipt.save(update_fields=["result_url"])
        else:  # refused or shown again: nothing was created, the token may be used again
            receipt.delete()
        return response

    def replay(self, request, token: str):
        first = SubmitToken.objects.get(token=token)
        if first.user_id != request.user.pk:
            raise PermissionDenied(_("This form was sent by someone else."))
        messages.info(request, _("This was already received: the first submission is shown, nothing was added."))
        return redirect(first.result_url or first.path)
