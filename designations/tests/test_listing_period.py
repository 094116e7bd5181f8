"""Issue 19: a listing never runs past the disclosure period of the information it rests on (R-DIS-1).

One function decides the last listed day (``designations.periods.listing_period``): the period proposed, counted
from service, held within each record's disclosure period and the law's maximum counted from the determination
or the end of ongoing conduct. The drafting refuses a proposal that could not fit; service fixes the dates; the
measures and the listing clock end with it; the case page says how the day was reached.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from creditportal import deadlines
from creditportal.models import JurisdictionProfile
from designations import periods
from designations.models import Designation
from subjects.disclosure import months_from, record_disclosure_period

from .helpers import draft, to_state

# --- the rule, over many dates: month ends, leap days, ongoing conduct -------------------------------------------

ITEM = SimpleNamespace(
    display_min_months=0, display_max_months=120, is_untrustworthy=True, is_administrative_punishment=False, sector=""
)
days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2045, 12, 31))


@st.composite
def records(draw):
    determined = draw(days)
    ongoing = draw(st.booleans())
    ended = determined + datetime.timedelta(days=draw(st.integers(0, 2000))) if ongoing else None
    item = SimpleNamespace(**{**vars(ITEM), "display_max_months": draw(st.integers(1, 120)), "name": "行政处罚信息"})
    law = JurisdictionProfile(disclosure_max_months=draw(st.sampled_from([None, 36, 60])))
    start, until = record_disclosure_period(
        catalog_item=item, determined_on=determined, conduct_ended_on=ended, profile=law
    )
    return SimpleNamespace(
        pk=draw(st.integers(1, 10**6)),
        catalog_item=item,
        determined_on=determined,
        conduct_ended_on=ended,
        disclosure_from=start,
        disclosure_until=until,
    )


@settings(max_examples=400, deadline=None)
@given(
    served=days,
    months=st.integers(1, 120),
    relied_on=st.lists(records(), min_size=1, max_size=3),
    maximum=st.sampled_from([None, 36, 60]),
    standard_months=st.sampled_from([None, 12, 36]),
)
def test_r_dis_1_a_listing_never_outlives_the_information_it_rests_on(
    served, months, relied_on, maximum, standard_months
):
    """R-DIS-1, R-DES-5: never past the proposal, the records' periods, the law's maximum or the period in the
    standard's removal conditions (满三年: 36 months), whichever ends first."""
    profile = JurisdictionProfile(disclosure_max_months=maximum, articles={})
    standard = SimpleNamespace(listing_max_months=standard_months, title="认定标准")
    designation = SimpleNamespace(proposed_listing_months=months, standard=standard)
    period = periods.listing_period(designation, starts_on=served, records=relied_on, profile=profile)
    proposed = months_from(served, months)
    assert period.ends_on <= proposed
    if standard_months:
        assert period.ends_on <= months_from(served, standard_months)
    for record in relied_on:
        assert period.ends_on <= record.disclosure_until
        if maximum:  # counted from the determination, or from the end of ongoing conduct (HN 27)
            assert period.ends_on <= months_from(record.conduct_ended_on or record.determined_on, maximum)
    # and no shorter than the law requires: the earliest bound, the proposal when nothing is earlier
    assert period.ends_on == min(b.ends_on for b in period.bounds)
    if all(record.disclosure_until >= proposed for record in relied_on) and not maximum and not standard_months:
        assert period.ends_on == proposed and not period.capped


# --- through the services and the page ---------------------------------------------------------------------------


def test_r_dis_1_a_decision_served_later_lists_only_to_the_end_of_its_record(
    client, caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    """Drafted on 10 March 2026 for 35 months (all the record's period left then), served on 16 October 2026:
    the listing ends on 1 March 2029 with the record's disclosure period, not 35 months after service; so do the
    measures and the listing clock, and the case page says why."""
    on(2026, 3, 10)
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=35
    )
    on(2026, 10, 20)
    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    designation = Designation.objects.get(pk=designation.pk)
    assert designation.listed_from == datetime.date(2026, 10, 16)
    assert designation.listed_until == record.disclosure_until == datetime.date(2029, 3, 1)
    measures = designation.designation_measures.exclude(status="dropped")
    assert {(link.status, link.ends_on) for link in measures} == {("active", datetime.date(2029, 3, 1))}
    clock = deadlines.deadlines_of(designation).get(rule_id="R-DIS-1")
    assert clock.due_date == datetime.date(2029, 3, 1)
    assert not re.match(r"^[A-Z]{2} \d+$", clock.article)  # the deployment's article, never a literal "HN 27"
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    explained = html[html.index("listing-explained") :]
    explained = explained[: explained.index("</details>")]
    assert "2029-03-01" in explained and f"record #{record.pk}" in explained
    assert "2029-09-15" in explained  # the 35 months from service, which the record's period cut short
    assert "(the listing ends on this day)" in explained


def test_r_dis_1_the_decision_page_states_the_latest_end_before_service(
    client, caseworker_a, dept_a, record, catalog, on
):
    on(2026, 3, 10)
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=12
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    cap = html[html.index("listing-cap") :]
    assert "At the latest until 2029-03-01" in cap[: cap.index("</div>")]


@pytest.mark.parametrize("months", [25, 40])
def test_r_dis_1_a_proposal_longer_than_the_record_leaves_is_refused_with_what_is_left(
    caseworker_a, dept_a, record, catalog, on, months
):
    from django.core.exceptions import ValidationError

    on(2027, 3, 2)  # a year after the determination: 24 months of the record's 36 are left
    with pytest.raises(ValidationError, match="at most 24 months") as refused:
        draft(
            caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=months
        )
    assert "2029-03-01" in str(refused.value)
    assert not Designation.objects.exists()


def test_r_dis_1_the_decision_states_the_latest_end_of_the_listing(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    """Issued before service, the decision states the months decided and the day the listing ends at the latest:
    the end of the record's disclosure period (the decision never states a listing past it)."""
    import io

    from pypdf import PdfReader

    on(2026, 3, 10)
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=35
    )
    on(2026, 10, 20)
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    document = designation.decision_document()
    document.file.open("rb")
    try:
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages))
    finally:
        document.file.close()
    assert "期限为35个月，自本决定书送达之日起计算，但最迟至2029年3月1日止" in text, text
