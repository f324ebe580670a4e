"""Who may do what, as the pure rules in ``renkei.core.permissions`` decide it: every role against every action.

The expected table below is the issue's wording, written out: the secretariat edits everything in its sphere
and publishes; a municipality editor marks or unmarks its own municipality's participation and adds a note to
it, nothing else; a viewer reads drafts; an administrator may do anything; nobody else may do anything. The
municipalities are the seed's towns (from the file) with their codes from the national list.
"""

from __future__ import annotations

import itertools

import pytest

from renkei.core.permissions import Action, Grant, Principal, RoleName, allowed, own_municipalities
from renkei.places.municipalities import Registry
from seedfacts import SeedFacts

SPHERE = "sphere-a"
OTHER_SPHERE = "sphere-b"

# What each role may do on its own sphere, leaving aside MARK, NOTE and RESULT (those depend on the municipality).
SPHERE_WIDE: dict[RoleName, set[Action]] = {
    RoleName.SECRETARIAT: {
        Action.READ_DRAFT,
        Action.EDIT_PROJECT,
        Action.MARK,
        Action.NOTE,
        Action.PUBLISH,
        Action.READ_AUDIT,
        Action.RESULT,
        Action.GRADES,
    },
    RoleName.VIEWER: {Action.READ_DRAFT},
    RoleName.MUNICIPALITY: {Action.READ_DRAFT},
}
OWN_MUNICIPALITY = {Action.MARK, Action.NOTE, Action.RESULT}


def names_of(facts: SeedFacts, index: int) -> tuple[str, str]:
    """A seed town's code (from the national list) and name."""
    entry = Registry.default().resolve_all(facts.towns)[index].entry
    assert entry is not None, facts.towns[index]
    return entry.code, entry.name


def principal(*grants: Grant, admin: bool = False) -> Principal:
    return Principal(1, "someone", admin, grants)


def test_every_role_action_pair_on_its_own_sphere(facts: SeedFacts) -> None:
    own_code, own_name = names_of(facts, 0)
    other_code, other_name = names_of(facts, 1)
    for role, action in itertools.product(RoleName, Action):
        municipality = own_code if role is RoleName.MUNICIPALITY else None
        who = principal(Grant(SPHERE, role, municipality))
        if action in OWN_MUNICIPALITY and role is RoleName.MUNICIPALITY:
            assert allowed(who, action, SPHERE, (own_code, own_name)), (role, action)
            assert not allowed(who, action, SPHERE, (other_code, other_name)), (role, action)
            assert not allowed(who, action, SPHERE), (role, action)  # no municipality named: not its own
        else:
            expected = action in SPHERE_WIDE[role]
            assert allowed(who, action, SPHERE) is expected, (role, action)
            assert allowed(who, action, SPHERE, (other_code, other_name)) is expected, (role, action)


def test_nobody_but_an_administrator_manages() -> None:
    for role in RoleName:
        who = principal(Grant(SPHERE, role, "x" if role is RoleName.MUNICIPALITY else None))
        assert not allowed(who, Action.MANAGE, SPHERE, ("x",)), role
        assert not allowed(who, Action.MANAGE, None), role
    assert allowed(principal(admin=True), Action.MANAGE, None)


@pytest.mark.parametrize("action", list(Action))
def test_an_administrator_may_do_anything_anywhere(action: Action, facts: SeedFacts) -> None:
    admin = principal(admin=True)
    code, name = names_of(facts, 2)
    assert allowed(admin, action, SPHERE)
    assert allowed(admin, action, OTHER_SPHERE, (code, name))
    assert allowed(admin, action, None)


def test_a_municipality_editor_touches_only_its_own_municipality_by_code_or_name(facts: SeedFacts) -> None:
    codes_names = [names_of(facts, i) for i in range(len(facts.towns))]
    own_code, own_name = codes_names[0]
    by_code = principal(Grant(SPHERE, RoleName.MUNICIPALITY, own_code))
    # A municipality without a code is known by its name: a grant may name it so.
    by_name = principal(Grant(SPHERE, RoleName.MUNICIPALITY, own_name))
    for action in OWN_MUNICIPALITY:
        assert allowed(by_code, action, SPHERE, (own_code, own_name))
        assert allowed(by_code, action, SPHERE, (own_code,))
        assert allowed(by_name, action, SPHERE, (own_name,))
        assert allowed(by_name, action, SPHERE, (own_code, own_name))
        for code, name in codes_names[1:]:
            for asked in ((code, name), (code,), (name,)):
                assert not allowed(by_code, action, SPHERE, asked), (action, asked)
                assert not allowed(by_name, action, SPHERE, asked), (action, asked)
    # The names are compared exactly: no prefix or substring matches.
    assert not allowed(by_code, Action.MARK, SPHERE, (own_code[:-1],))
    assert not allowed(by_name, Action.MARK, SPHERE, (own_name[:-1], own_name + " "))
    assert own_municipalities(by_code, SPHERE) == {own_code}
    assert own_municipalities(by_code, OTHER_SPHERE) == set()


def test_several_municipality_grants_add_up(facts: SeedFacts) -> None:
    (a_code, a_name), (b_code, b_name), (c_code, c_name) = (names_of(facts, i) for i in range(3))
    who = principal(Grant(SPHERE, RoleName.MUNICIPALITY, a_code), Grant(SPHERE, RoleName.MUNICIPALITY, b_code))
    assert allowed(who, Action.MARK, SPHERE, (a_code, a_name))
    assert allowed(who, Action.MARK, SPHERE, (b_code, b_name))
    assert not allowed(who, Action.MARK, SPHERE, (c_code, c_name))
    assert not allowed(who, Action.EDIT_PROJECT, SPHERE)
    assert own_municipalities(who, SPHERE) == {a_code, b_code}


@pytest.mark.parametrize("role", list(RoleName))
def test_a_grant_on_another_sphere_gives_nothing(role: RoleName, facts: SeedFacts) -> None:
    code, name = names_of(facts, 0)
    who = principal(Grant(OTHER_SPHERE, role, code if role is RoleName.MUNICIPALITY else None))
    for action in Action:
        assert not allowed(who, action, SPHERE, (code, name)), action
        assert not allowed(who, action, None, (code, name)), action
    assert own_municipalities(who, SPHERE) == set()


def test_roles_on_two_spheres_stay_apart() -> None:
    who = principal(Grant(SPHERE, RoleName.VIEWER), Grant(OTHER_SPHERE, RoleName.SECRETARIAT))
    assert allowed(who, Action.PUBLISH, OTHER_SPHERE)
    assert not allowed(who, Action.PUBLISH, SPHERE)
    assert not allowed(who, Action.EDIT_PROJECT, SPHERE)
    assert allowed(who, Action.READ_DRAFT, SPHERE)


@pytest.mark.parametrize("action", list(Action))
def test_no_principal_and_no_grant_give_nothing(action: Action, facts: SeedFacts) -> None:
    code, name = names_of(facts, 0)
    for sphere in (SPHERE, None):
        assert not allowed(None, action, sphere, (code, name))
        assert not allowed(principal(), action, sphere, (code, name))
    assert own_municipalities(None, SPHERE) == set()
    assert own_municipalities(principal(), SPHERE) == set()
