"""`msm demo` ships with the plays library, linked to the demo association's outcomes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from membersuccess.demo.services import build_demo
from membersuccess.plays.library import PLAYS
from membersuccess.plays.models import Play, Resource

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_default_plays_and_resources_serving_its_outcomes(tmp_path: Path) -> None:
    build_demo(members=40, seed=3, data_dir=tmp_path, as_of=date(2025, 6, 30))

    assert Play.objects.filter(ships_with_product=True).count() == len(PLAYS)
    course = Resource.objects.get(code="self-paced-review-course")
    assert set(course.serves.values_list("code", flat=True)) == {"earn-certification", "stay-current-ce"}
