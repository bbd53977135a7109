"""`msm plays install`: the default plays library for an association that did not start from the demo."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from membersuccess.plays.library import PLAYS, RESOURCES
from membersuccess.plays.models import Play

pytestmark = pytest.mark.django_db(transaction=True)


def test_install_adds_the_default_library_once_and_leaves_edits_alone() -> None:
    first = CliRunner().invoke(app, ["plays", "install", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["plays_added"] == len(PLAYS)
    assert json.loads(first.stdout)["resources_added"] == len(RESOURCES)
    Play.objects.filter(code="quiet-guide").update(name="Our guide for quiet members")

    again = CliRunner().invoke(app, ["plays", "install"])

    assert again.exit_code == 0, again.output
    assert "Plays library: 0 plays, 0 resources and 0 teams added." in again.stdout
    assert Play.objects.get(code="quiet-guide").name == "Our guide for quiet members"
