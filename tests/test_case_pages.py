"""The case kit's pages (issue 17), the same for every case type: a refused act shows the case page again, in one
place (``CasePostView.render_refused``), with the reason at the top, the act's form open and everything typed
kept; an act sent from a page opened before someone else acted is refused as stale and changes nothing; another
department's case is a 404 for its acts as for its page."""

import pytest
from django.urls import reverse

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from tests.case_data import make_cases

TYPED = "这是我输入的理由，不能丢失"

#: case → (detail URL name, act URL name, an act its caseworker may take now, the data of that act's form that
#: the law refuses, and an act to try with a stale version).
PAGES = {
    # the department has no address for statements: the notice is refused (R-DES-1)
    "designation": ("designation_detail", "designation_act", "issue_notice", {"statement_period_wd": "5"}),
    # a unit must be named to refer to: the form refuses
    "objection": ("objection_detail", "objection_act", "refer", {"referred_to": "", "reasons": "不属于本单位"}),
    # the profile promises no restoration period: accepting is refused (R-RES-5)
    "restoration": ("restoration_detail", "restoration_act", "accept", {}),
}


@pytest.fixture
def cases(dept_a, dept_b, caseworker_a):
    return make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)


def _post(client, url_name, case, act, data, version):
    prefixed = {f"{act}-{key}": value for key, value in {**data, "reason": TYPED, "expected_version": version}.items()}
    return client.post(reverse(url_name, args=[case.pk, act]), prefixed)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_refused_act_shows_the_case_page_again_with_the_reason_and_what_was_typed(kind, cases, client, caseworker_a):
    detail, act_url, act, data = PAGES[kind]
    case = cases[kind]
    client.force_login(caseworker_a)
    version = case.row_version
    response = _post(client, act_url, case, act, data, version)
    html = response.content.decode()
    assert response.status_code == 200, kind  # not a redirect: nothing was done
    assert response.context["failed_act"] == act
    assert TYPED in html  # what was typed is kept
    assert "Not done." in html or "is-invalid" in html  # the reason at the top, or beside the field
    assert f'class="mb-2 act-{act}" open' in html  # the act's form is open
    case.refresh_from_db()
    assert case.row_version == version  # nothing changed


#: An act of each case type that needs only its reason, sent from a stale page.
STALE_ACT = {"designation": "withdraw", "objection": "label", "restoration": "withdraw"}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_an_act_from_a_stale_page_is_refused_and_changes_nothing(kind, cases, client, dept_a):
    """An act sent from a page opened before the case changed."""
    detail, act_url, _act, _data = PAGES[kind]
    case = cases[kind]
    supervisor = user_with_role(Role.SUPERVISOR, dept_a, username=f"stale-{kind}")
    client.force_login(supervisor)
    state, version = case.state, case.row_version
    response = _post(client, act_url, case, STALE_ACT[kind], {}, version - 1)
    assert response.status_code == 200
    assert "Someone else acted on this" in response.content.decode()
    case.refresh_from_db()
    assert (case.state, case.row_version) == (state, version)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_another_departments_case_is_a_404_for_its_acts(kind, cases, client, caseworker_b):
    detail, act_url, act, data = PAGES[kind]
    case = cases[kind]
    client.force_login(caseworker_b)
    assert client.get(reverse(detail, args=[case.pk])).status_code == 404
    assert _post(client, act_url, case, act, data, case.row_version).status_code == 404
    assert client.post(reverse(act_url, args=[case.pk, "no-such-act"]), {}).status_code == 404
