"""Identity numbers never travel in a URL (issue 21, hardening; R-DIS-4).

A search page whose filter takes an identity number (``sealed_params``, e.g. ``("id_number",)``) posts its filter
form instead of sending it in the address: ``seal`` keeps those values in the person's session under a random token
and answers with a redirect to the page whose address carries the other filters and ``sealed=<token>``;
``unsealed`` gives the page (and its pages, sort links and exports, which keep the token) the filters with the
values put back. The number so never reaches the browser's history, the proxy's and the server's access logs, the
``Referer`` of the next page or the audit trail (which keeps filters masked, ``creditportal.masking``). A token from
another session, or one that has expired from this one, is not found (``lost``): the page says so and lists
nothing, and the export refuses.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.http import HttpResponseRedirect, QueryDict

#: Where a session keeps its sealed search terms: ``{token: {param: value}}``, the latest ``KEPT`` only.
SESSION_KEY = "sealed_searches"
TOKEN_PARAM = "sealed"  # noqa: S105 -- the name of a query parameter, not a secret
KEPT = 20


def seal(request, sealed_params: Iterable[str], *, skip: Iterable[str] = ()) -> HttpResponseRedirect:
    """The posted filter form as a redirect to its page: the sealed values into the session, the rest (but ``skip``)
    into the query."""
    query = QueryDict(mutable=True)
    kept: dict[str, str] = {}
    for name, values in request.POST.lists():
        if name in ("csrfmiddlewaretoken", TOKEN_PARAM, "page", *skip):
            continue
        values = [value for value in values if value.strip()]
        if not values:
            continue
        if name in sealed_params:
            kept[name] = values[0].strip()
        else:
            query.setlist(name, values)
    if kept:
        token = secrets.token_urlsafe(12)
        searches = dict(request.session.get(SESSION_KEY, {}))
        searches[token] = kept
        request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT:])
        query[TOKEN_PARAM] = token
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def lost(request) -> bool:
    """The address names a sealed search this session does not hold (another session's, or expired): the page says
    so and shows nothing, rather than the list without the number."""
    token = request.GET.get(TOKEN_PARAM, "")
    return bool(token) and token not in request.session.get(SESSION_KEY, {})


def unsealed(request, sealed_params: Iterable[str]) -> QueryDict:
    """The page's filters, with the values its token stands for put back; a sealed value typed into the address
    itself is ignored (it must not be encouraged there)."""
    query = request.GET.copy()
    for name in sealed_params:
        query.pop(name, None)
    token = query.pop(TOKEN_PARAM, [""])[-1]
    for name, value in request.session.get(SESSION_KEY, {}).get(token, {}).items():
        if name in sealed_params:
            query[name] = value
    return query
