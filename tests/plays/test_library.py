"""The default plays library: loaded idempotently, every template carries value, every trigger is valid."""

from __future__ import annotations

import pytest

from membersuccess.accounts.models import Team
from membersuccess.outreach.checks import check_template
from membersuccess.plays.library import PLAYS, install_default_library
from membersuccess.plays.models import Play, PlayStep, Resource
from membersuccess.plays.triggers import validate_trigger

pytestmark = pytest.mark.django_db


def test_default_library_installs_plays_resources_and_their_teams() -> None:
    installed = install_default_library()

    assert installed.plays_added == len(PLAYS) == Play.objects.count()
    assert Resource.objects.count() == installed.resources_added > 0
    assert {"events", "education", "membership", "support", "publications", "chapters"} <= set(
        Team.objects.values_list("code", flat=True)
    )
    assert all(play.steps.exists() for play in Play.objects.all())


def test_installing_the_library_twice_adds_nothing_and_keeps_staff_edits() -> None:
    install_default_library()
    Play.objects.filter(code="quiet-guide").update(name="Our own quiet-member play")

    again = install_default_library()

    assert (again.plays_added, again.resources_added, again.teams_added) == (0, 0, 0)
    assert Play.objects.get(code="quiet-guide").name == "Our own quiet-member play"
    assert PlayStep.objects.count() == sum(len(p.steps) for p in PLAYS)


@pytest.mark.parametrize("spec", PLAYS, ids=lambda p: p.code)
def test_every_default_play_template_passes_the_value_check(spec) -> None:
    assert check_template(spec.message_template).passes, spec.message_template


@pytest.mark.parametrize("spec", PLAYS, ids=lambda p: p.code)
def test_every_default_play_trigger_is_valid(spec) -> None:
    assert validate_trigger(trigger=spec.trigger, value=spec.trigger_value) == spec.trigger_value


def test_the_library_covers_every_trigger() -> None:
    assert {p.trigger for p in PLAYS} == set(Play.Trigger.values)
