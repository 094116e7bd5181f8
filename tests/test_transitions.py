"""Tests generated from each workflow declaration (issue 17), as NetBox's view test cases generate the standard
tests per model: for every act that changes a state, four tests through its real service.

1. wrong state refused: from every state not among the act's sources (set with ``unguarded().update``, the
   documented way to reach a state no service reaches), the service refuses with ``TransitionRefused`` and the
   row's state and version are unchanged;
2. no permission refused: an actor without the declared permission is refused (``PermissionDenied``, or the 404 of
   a row outside their scope where the service fetches it through the scope), nothing changed;
3. permitted actor allowed: from a source state where the guards hold, at the current version, the state becomes
   the declared target (the rule the act implements is in its spec, ``tests/transition_specs.py``);
4. stale version refused: the same call at the version before → ``ConcurrentChange``, nothing changed. Services
   that take no ``expected_version`` yet are listed in ``NO_VERSION_YET``: their test is an expected failure
   (strict), so it fails as an unexpected pass the day the service takes a version — then take it off the list.

A declared act with neither a spec nor an exclusion (with its reason) fails
``test_every_declared_act_has_a_spec_or_an_exclusion``: a new transition comes with its spec.

The cases are built once for the module (``transition_specs.build_world``) in a transaction rolled back when the
module ends; each test runs in a savepoint inside it, as Django's ``setUpTestData`` does, so what a test changes
goes with it (``tests/test_permission_matrix.py`` does the same).
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps
from django.db import transaction

from creditportal.locking import ConcurrentChange
from creditportal.workflow import TransitionRefused, Workflow
from tests.transition_specs import GENERATED, WORKFLOWS, Declared, Spec, World, act_of, build_world

pytestmark = pytest.mark.django_db

#: Acts whose service takes no ``expected_version`` yet (a page opened before someone else acted is not refused):
#: another change adds one to each. Their stale-version test is xfail(strict=True): it passes — and so fails as
#: XPASS — once the service refuses a stale version; then remove the act from this list.
NO_VERSION_YET: dict[str, str] = {}

#: Declared workflows that get no generated tests, and why.
NOT_GENERATED = {
    "catalog.workflow.IMPORT_JOB": "every act is internal: only the background import's runner moves a job",
    "exchange.workflow.RECORD_IMPORT": "every act is internal: only the record import's runner moves a job",
}


def _id(workflow: str, key: str) -> str:
    return f"{workflow}.{key}"


def _params(stale: bool = False) -> list:
    params = []
    for workflow, key in GENERATED:
        name = _id(workflow, key)
        marks = []
        if stale and name in NO_VERSION_YET:
            marks.append(
                pytest.mark.xfail(
                    strict=True,
                    raises=TypeError,
                    reason=f"takes no expected_version yet: {NO_VERSION_YET[name]}",
                )
            )
        params.append(pytest.param(workflow, key, id=name, marks=marks))
    return params


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Every case of the spec tables, built once, in a transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _row(declared: Declared, pk) -> tuple[str, int]:
    """The row's state and version, as stored."""
    obj = declared.model._default_manager.get(pk=pk)
    return declared.workflow.state_of(obj), obj.row_version


def _version(name: str, version: int) -> dict:
    return {} if name in NO_VERSION_YET else {"expected_version": version}


def _case(workflow: str, key: str, world: World):
    """The declaration, the spec, the transition and the case (fetched afresh, prepared as the spec says)."""
    declared = WORKFLOWS[workflow]
    spec: Spec = declared.specs[key]
    transition = declared.workflow.transitions[act_of(key)]
    obj = declared.model._default_manager.get(pk=world.cases[spec.case].pk)
    if spec.prepare:
        spec.prepare(world, obj)
    return declared, spec, transition, obj


def _what(spec: Spec, transition) -> str:
    return f"“{transition.name}”" + (f" ({spec.rule})" if spec.rule else "")


# --- the declarations are complete --------------------------------------------------------------------------


@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_every_declared_act_has_a_spec_or_an_exclusion(workflow):
    """Every act of the declaration has a spec (its generated tests) or is excluded with a reason; only an act
    that changes no state or an internal one may be excluded; nothing is specified that is not declared."""
    declared = WORKFLOWS[workflow]
    acts = set(declared.workflow.transitions)
    specified = {act_of(key) for key in declared.specs}
    excluded = set(declared.excluded)
    assert not acts - specified - excluded, f"{workflow}: acts without a spec or an exclusion"
    assert not (specified | excluded) - acts, f"{workflow}: specs or exclusions of acts not declared"
    assert not specified & excluded, f"{workflow}: acts both specified and excluded"
    for name in excluded:
        transition = declared.workflow.transitions[name]
        assert transition.internal or transition.target is None, f"{workflow}.{name} changes state: give it a spec"
        assert declared.excluded[name].strip(), f"{workflow}.{name}: say why it is excluded"


def test_every_workflow_of_the_apps_is_generated_or_excluded():
    """A new declared workflow in an app's ``workflow.py`` is listed here too."""
    found = set()
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.workflow") is None:
            continue
        module = importlib.import_module(f"{config.name}.workflow")
        found |= {f"{config.name}.workflow.{n}" for n, v in vars(module).items() if isinstance(v, Workflow)}
    listed = {f"{d.model._meta.app_label}.workflow.{name}" for name, d in WORKFLOWS.items()} | set(NOT_GENERATED)
    assert found == listed


def test_no_version_yet_names_generated_acts():
    assert set(NO_VERSION_YET) <= {_id(w, k) for w, k in GENERATED}


# --- the four generated tests -------------------------------------------------------------------------------


@pytest.mark.parametrize(("workflow", "key"), _params())
def test_wrong_state_is_refused(workflow, key, world):
    """From every state not among the act's declared sources the service refuses (the workflow's state check,
    the declaration being the only source of state rules) and the row is unchanged."""
    declared, spec, transition, obj = _case(workflow, key, world)
    actor, name = world.users[spec.actor], _id(workflow, key)
    wrong = [state for state in declared.workflow.state_labels if state not in transition.sources]
    assert wrong or transition.sources == set(declared.workflow.state_labels)
    failures = []
    for state in wrong:
        with transaction.atomic():
            if spec.make_room:
                spec.make_room(obj, state)
            declared.model._default_manager.filter(pk=obj.pk).unguarded().update(
                **{declared.workflow.field_name: state}
            )
            before = _row(declared, obj.pk)
            expected = (spec.wrong_state_refused_as or {}).get(state, (TransitionRefused,))
            fresh = declared.model._default_manager.get(pk=obj.pk)
            try:
                spec.call(fresh, actor, world, **_version(name, before[1]))
            except expected:
                pass
            except Exception as error:  # noqa: BLE001  (reported with the state it happened in)
                failures.append(f"{state}: {type(error).__name__}: {error}")
            else:
                failures.append(f"{state}: {_what(spec, transition)} was taken")
            after = _row(declared, obj.pk)
            if after != before:
                failures.append(f"{state}: the row changed from {before} to {after}")
            transaction.set_rollback(True)
    assert not failures, f"{name} from states outside its sources:\n" + "\n".join(failures)


@pytest.mark.parametrize(("workflow", "key"), _params())
def test_actor_without_the_permission_is_refused(workflow, key, world):
    """An actor who does not hold the declared permission (an auditor, a caseworker where a supervisor decides,
    another department) is refused, from a state and with guards where the permitted actor would succeed."""
    declared, spec, transition, obj = _case(workflow, key, world)
    name = _id(workflow, key)
    before = _row(declared, obj.pk)
    failures = []
    for who in spec.unpermitted:
        with transaction.atomic():
            try:
                spec.call(obj, world.users[who], world, **_version(name, before[1]))
            except spec.refused_as:
                pass
            except Exception as error:  # noqa: BLE001  (reported with the actor it happened to)
                failures.append(f"{who}: {type(error).__name__}: {error}")
            else:
                failures.append(f"{who} took {_what(spec, transition)}")
            if _row(declared, obj.pk) != before:
                failures.append(f"{who}: the row changed from {before} to {_row(declared, obj.pk)}")
            transaction.set_rollback(True)
    assert not failures, f"{name} by actors without the permission:\n" + "\n".join(failures)


@pytest.mark.parametrize(("workflow", "key"), _params())
def test_permitted_actor_takes_the_act(workflow, key, world):
    """The actor with the declared permission, from a source state where the guards hold, at the current version:
    the state becomes the declared target (an act that changes no state leaves it, and the version moves)."""
    declared, spec, transition, obj = _case(workflow, key, world)
    name = _id(workflow, key)
    before = _row(declared, obj.pk)
    assert before[0] in transition.sources, f"{name}: the spec's case is not in a source state"
    spec.call(obj, world.users[spec.actor], world, **_version(name, before[1]))
    state, version = _row(declared, obj.pk)
    target = spec.reaches or transition.target or before[0]
    assert state == target, f"{name} {_what(spec, transition)}: {before[0]} → {state}, declared {target}"
    assert version > before[1]
    if spec.reaches and transition.target:
        # it went through the declared target on the way (its history row says so)
        assert declared.model.history.filter(id=obj.pk, **{declared.workflow.field_name: transition.target}).exists()


@pytest.mark.parametrize(("workflow", "key"), _params(stale=True))
def test_stale_version_is_refused(workflow, key, world):
    """The page was opened before someone else acted (its version is the one before): ``ConcurrentChange``, and
    nothing is saved (creditportal.locking)."""
    declared, spec, transition, obj = _case(workflow, key, world)
    before = _row(declared, obj.pk)
    with pytest.raises(ConcurrentChange):
        spec.call(obj, world.users[spec.actor], world, expected_version=before[1] - 1)
    assert _row(declared, obj.pk) == before
