"""What the signed-in user may do with a member's journey and desired outcome, for the member page's links.

The views check the same rules again (journeys/access.py); the links only spare people a 403."""

from __future__ import annotations

from django import template

from membersuccess.accounts.roles import AnyUser
from membersuccess.journeys.access import may_change_member_journey, may_edit_journeys, may_record_for_member

register = template.Library()


@register.simple_tag
def journey_permissions(user: AnyUser) -> dict[str, bool]:
    """{"change_journey": ..., "record": ..., "edit_journeys": ...} for `user`."""
    return {
        "change_journey": may_change_member_journey(user),
        "record": may_record_for_member(user),
        "edit_journeys": may_edit_journeys(user),
    }
