"""Who may do what with journeys, desired outcomes and milestones (checked on the server by every caller).

- Journeys and their milestones are configuration: the admin role (the data/ops admin of the design)
  changes them, like signals and imports. Everyone signed in reads them, so staff see what a
  milestone asks of a member.
- A member's journey is changed by admins and Member Success Managers, with a reason.
- A desired outcome is recorded, and a milestone confirmed with evidence, by anyone who works with
  the member (admins, managers, and staff who can see the member) — never by executives, who read only."""

from __future__ import annotations

from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser, role_of


def may_edit_journeys(user: AnyUser) -> bool:
    """Create and edit journeys and their milestones: the admin role."""
    return role_of(user) == Role.ADMIN


def may_change_member_journey(user: AnyUser) -> bool:
    """Move a member to another journey: admins and Member Success Managers."""
    return role_of(user) in (Role.ADMIN, Role.SUCCESS_MANAGER)


def may_record_for_member(user: AnyUser) -> bool:
    """Record a desired outcome or confirm a milestone for a member the user can see: not executives."""
    role = role_of(user)
    return role is not None and role != Role.EXECUTIVE
