"""Staff passwords must be long, uncommon and unlike the username; the error says what is wrong."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from membersuccess.accounts.models import Role
from membersuccess.accounts.services import staff_user_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("381920475610", "entirely numeric"),
        ("mona.reyes.2026", "too similar to the username"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password, says):
    with pytest.raises(ValidationError) as raised:
        staff_user_create(username="mona.reyes.2026", password=password, role=Role.STAFF)
    assert says in " ".join(raised.value.messages)
    assert not User.objects.filter(username="mona.reyes.2026").exists()


def test_a_long_uncommon_password_is_accepted():
    user = staff_user_create(username="mona", password="violet-harbour-lantern", role=Role.STAFF)
    assert user.check_password("violet-harbour-lantern")
