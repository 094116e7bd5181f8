"""R-NAT-6 for the province's own values (issue 20): the jurisdiction profile holds a regulation's first values; an
amendment is a rule set of the province, drafted by one system administrator, published by another, in force from
its own date. An objection keeps the values of the day it was received: one received before the amendment is
answered on the old period, one received on or after it on the new one, and its clock names the set."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from creditportal import rules, workdays
from creditportal.models import JurisdictionProfile, RuleSet
from creditportal.profiles import current_profile, profile_on
from creditportal.tests.factories import UserFactory
from objections.services import answer_deadline, answer_period

from .conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 9, 28)  # a Monday: the amendment takes effect
OLD, NEW = 7, 5  # HN 7 working days (the profile's first value); the amendment's 5


@pytest.fixture
def admins(db):
    return tuple(
        UserFactory(username=name, system_role="system_admin", is_staff=True) for name in ("sysadmin-a", "sysadmin-b")
    )


def _amendment(drafter, *, effective_from=D, **values):
    return rules.ruleset_save(
        actor=drafter,
        reason="依修正案起草",
        layer="province",
        jurisdiction="HN",
        title="《海南自由贸易港社会信用条例》修正",
        effective_from=effective_from,
        values=values,
        sources=dict.fromkeys(values, "琼人大常〔2026〕1号 第二十九条"),
    )


@pytest.fixture
def amended(admins, on):
    """Published on 2026-09-20 by the second administrator; in force from 2026-09-28."""
    on(2026, 9, 20)
    drafter, publisher = admins
    assert current_profile().objection_answer_days == OLD
    return rules.ruleset_publish(
        ruleset=_amendment(drafter, objection_answer_days=NEW), actor=publisher, reason="第二人发布"
    )


def test_r_nat_6_an_objection_keeps_the_province_values_of_the_day_it_was_received(amended, receive, on):
    """Both are entered on 12 October, after the amendment: the one received by post on 25 September keeps the
    values of its day."""
    on(2026, 10, 12)
    before = answer_deadline(receive(received_at=at(2026, 9, 25)))
    after = answer_deadline(receive(received_at=at(2026, 10, 12), grounds_text="另一异议"))
    assert (before.days, after.days) == (OLD, NEW)
    calendar = workdays.load_calendar()
    assert after.due_date == workdays.add_working_days(datetime.date(2026, 10, 12), NEW, calendar, ()).due
    # "how this date was counted" names the rule set behind the new value; the old clock still cites the profile
    assert "《海南自由贸易港社会信用条例》修正" in after.article and "修正" not in before.article
    # the profile's own row is unchanged: the amendment is a set of its own, and the copy in force is read-only
    assert JurisdictionProfile.objects.get(code="HN").objection_answer_days == OLD
    with pytest.raises(TypeError):
        current_profile().save()


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=st.dates(min_value=datetime.date(2026, 6, 1), max_value=datetime.date(2027, 6, 30)))
def test_r_nat_6_a_province_set_leaves_every_objection_before_its_date_as_it_was(amended, received):
    objection = SimpleNamespace(kind="objection", target="record")
    days, _unit, _rule, _article = answer_period(objection, profile_on(received))
    assert days == (OLD if received < D else NEW)


def test_r_nat_6_a_province_set_is_published_by_another_and_names_its_province(admins, on):
    on(2026, 9, 20)
    drafter, publisher = admins
    with pytest.raises(ValidationError, match="names its province"):
        rules.ruleset_save(
            actor=drafter,
            reason="起草",
            layer="province",
            title="无省份",
            effective_from=D,
            values={"objection_answer_days": NEW},
            sources={"objection_answer_days": "某文件 第一条"},
        ).full_clean()
    draft = _amendment(drafter, objection_answer_days=NEW)
    with pytest.raises(ValidationError, match="four eyes"):
        rules.ruleset_publish(ruleset=draft, actor=drafter, reason="发布")
    with pytest.raises(ValidationError):
        _amendment(drafter, objection_answer_unit="fortnights").full_clean()
    with pytest.raises(ValidationError):
        _amendment(drafter, serious_max_months=12).full_clean()  # a national value is not the province's to set
    rules.ruleset_publish(ruleset=draft, actor=publisher, reason="发布")
    assert profile_on(D).objection_answer_days == NEW and profile_on(D - datetime.timedelta(days=1)) is not None
    assert profile_on(D - datetime.timedelta(days=1)).objection_answer_days == OLD


def test_r_nat_6_the_preview_lists_exactly_the_open_objections_whose_deadline_moves(admins, receive, on):
    """A draft that shortens the answer period from 2026-10-12 lists the objections received on or after that day,
    and no other, checked against a recomputation of every open objection."""
    from objections.models import Objection

    drafter, _publisher = admins
    on(2026, 9, 25)
    receive(received_at=at(2026, 9, 25))
    on(2026, 10, 12)
    later = receive(received_at=at(2026, 10, 12, 9), grounds_text="另一异议")
    candidate = _amendment(drafter, effective_from=datetime.date(2026, 10, 12), objection_answer_days=NEW)
    listed = {(pk, old, new) for kind, pk, _label, old, new in rules.ruleset_preview(candidate) if kind == "Objection"}
    calendar = workdays.load_calendar()
    brute = set()
    for objection in Objection.objects.all():
        received = objection.received_at.astimezone(at(2026, 1, 1).tzinfo).date()
        days, *_rest = answer_period(objection, profile_on(received, candidate=candidate))
        new = workdays.add_working_days(received, days, calendar, ()).due
        if new != objection.due_date:
            brute.add((objection.pk, objection.due_date, new))
    assert listed == brute and [pk for pk, _old, _new in listed] == [later.pk]
    assert RuleSet.objects.get(pk=candidate.pk).status == "draft"  # a preview publishes nothing


def test_r_nat_6_a_set_profile_value_is_read_only_in_the_admin_an_unset_one_is_filled_in(client, admins):
    """Once set, a profile's number changes only by a dated rule set; a value the regulation left unset is filled in
    where it is (nothing has been judged by it: the act that needed it was refused)."""
    profile = JurisdictionProfile.objects.get(code="HN")
    assert profile.objection_answer_days == OLD and profile.restoration_promised_wd is None
    client.force_login(admins[0])
    page = client.get(f"/admin/creditportal/jurisdictionprofile/{profile.pk}/change/").content.decode()
    assert 'name="objection_answer_days"' not in page
    assert 'name="restoration_promised_wd"' in page


def test_r_nat_6_the_profile_page_shows_what_the_province_amended(client, admins, amended, on):
    """The profile's fields keep its first values; the page says which values a published set changed, as they
    apply today, and names the set."""
    on(2026, 10, 12)
    client.force_login(admins[0])
    profile = JurisdictionProfile.objects.get(code="HN")
    html = client.get(f"/admin/creditportal/jurisdictionprofile/{profile.pk}/change/").content.decode()
    assert "《海南自由贸易港社会信用条例》修正 (2026-09-28)" in html
    on(2026, 9, 27)  # before it took effect: nothing amended yet
    html = client.get(f"/admin/creditportal/jurisdictionprofile/{profile.pk}/change/").content.decode()
    assert "修正 (2026-09-28)" not in html and "None: the values below apply." in html
