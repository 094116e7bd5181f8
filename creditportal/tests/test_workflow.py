"""The workflow engine's two kinds of guard (``creditportal.workflow``): a ``who`` guard (is this person one who may
ever take the act here?) keeps the act off the person's page; a guard about the case (is it ready?) shows the act
with what is missing. Both refuse the act alike when it is taken."""

from types import SimpleNamespace

import pytest

from creditportal.workflow import Transition, TransitionRefused, Workflow


def _own_case(case, *, actor, **_c):
    return None if case.caseworker == actor else "Only the case's caseworker can recall it."


def _reasoned(case, **_c):
    return None if case.reasons else "State the reasons first."


FLOW = Workflow(
    field_name="state",
    state_labels={"waiting": "waiting", "open": "open"},
    transitions=[
        Transition("recall", frozenset({"waiting"}), "open", "Recall", who=(_own_case,), guards=(_reasoned,)),
        Transition("approve", frozenset({"waiting"}), "done", "Approve", guards=(_reasoned,)),
    ],
)


@pytest.mark.parametrize(
    ("actor", "reasons", "offered"),
    [
        ("caseworker", "stated", {"recall": None, "approve": None}),
        ("caseworker", "", {"recall": "State the reasons first.", "approve": "State the reasons first."}),
        ("supervisor", "stated", {"approve": None}),
        ("supervisor", "", {"approve": "State the reasons first."}),
    ],
)
def test_an_act_a_who_guard_refuses_is_not_offered_one_a_case_guard_refuses_is_offered_with_why(
    actor, reasons, offered
):
    case = SimpleNamespace(state="waiting", caseworker="caseworker", reasons=reasons)
    assert {o.name: o.refusal for o in FLOW.offered(case, actor=actor)} == offered


def test_a_who_guard_still_refuses_the_act_when_it_is_taken():
    case = SimpleNamespace(state="waiting", caseworker="caseworker", reasons="stated")
    assert FLOW.can(case, "recall", actor="supervisor") == "Only the case's caseworker can recall it."
    assert not FLOW.is_for(case, "recall", actor="supervisor") and FLOW.is_for(case, "recall", actor="caseworker")
    with pytest.raises(TransitionRefused, match="Only the case's caseworker"):
        FLOW.apply(case, "recall", actor="supervisor")
    assert case.state == "waiting"
    FLOW.apply(case, "recall", actor="caseworker")
    assert case.state == "open"
