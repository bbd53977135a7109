"""The example file of every KIND in docs/examples imports cleanly, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from membersuccess.ingest.kinds import KINDS
from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse
from membersuccess.members.models import Contact, DesiredOutcome, Member, MembershipTerm
from tests.ingest.conftest import import_file

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ORDER = ["members", "memberships", "outcomes", "interactions", "tickets", "surveys"]


def test_there_is_an_example_for_every_kind():
    assert sorted(p.stem for p in EXAMPLES.glob("*.csv")) == sorted(KINDS)


@pytest.mark.django_db
def test_examples_import_without_rejects(catalog, tmp_path):
    for kind in ORDER:
        source = EXAMPLES / f"{kind}.csv"
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        result = import_file(kind, copy)
        assert result.rows_rejected == 0, (kind, result.rejects_path and result.rejects_path.read_text())
        assert result.rows_created == result.rows_read > 0
    assert Member.objects.count() == 3
    assert MembershipTerm.objects.count() == 4
    assert Interaction.objects.count() == 4
    assert SupportTicket.objects.filter(resolved_at__isnull=True).count() == 1
    assert SurveyResponse.objects.count() == 2
    assert DesiredOutcome.objects.filter(is_current=True).count() == 2
    organization_contact = Contact.objects.get(member__external_id="M-1002")
    assert (organization_contact.name, organization_contact.role) == ("Priya Raman", "Training lead")
    assert Contact.objects.get(member__external_id="M-1001").email == "ada.okafor@example.org"


@pytest.mark.django_db
def test_interaction_timestamps_keep_their_time_zone(catalog, tmp_path):
    for kind in ("members", "interactions"):
        copy = tmp_path / f"{kind}.csv"
        copy.write_bytes((EXAMPLES / f"{kind}.csv").read_bytes())
        import_file(kind, copy)
    course = Interaction.objects.get(external_id="E-2")
    assert course.occurred_at.isoformat() == "2024-04-11T08:30:00+00:00"
    assert course.value == 3.5
    assert course.attributes == {"course": "Ethics in Practice"}
