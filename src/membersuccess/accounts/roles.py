"""Who a signed-in person is in the product: their role and team, read from their staff profile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from membersuccess.accounts.models import Role, StaffProfile

AnyUser = AbstractBaseUser | AnonymousUser

# Roles whose work spans the whole membership; everyone else sees the members they work with.
ROLES_THAT_SEE_ALL_MEMBERS = frozenset({Role.ADMIN, Role.SUCCESS_MANAGER, Role.EXECUTIVE})


def staff_profile_of(user: AnyUser) -> StaffProfile | None:
    """The user's staff profile, or None for anonymous users and users without one."""
    if not user.is_authenticated:
        return None
    try:
        profile: StaffProfile = user.staff_profile  # type: ignore[attr-defined]
    except StaffProfile.DoesNotExist:
        return None
    return profile


def role_of(user: AnyUser) -> Role | None:
    """The user's role; a superuser without a profile is an admin, anyone else without one is staff."""
    if not user.is_authenticated:
        return None
    profile = staff_profile_of(user)
    if profile is not None:
        return Role(profile.role)
    return Role.ADMIN if getattr(user, "is_superuser", False) else Role.STAFF


def role_label(user: AnyUser) -> str:
    """The role as staff read it (e.g. "Member Success Manager"), empty for anonymous users."""
    role = role_of(user)
    return "" if role is None else str(role.label)


def team_id_of(user: AnyUser) -> int | None:
    """The primary key of the user's team, if they are on one."""
    profile = staff_profile_of(user)
    return None if profile is None else profile.team_id


def sees_all_members(user: AnyUser) -> bool:
    """Whether the user's work spans every member (admin, success manager, executive)."""
    return role_of(user) in ROLES_THAT_SEE_ALL_MEMBERS


def may_use_admin(user: AnyUser) -> bool:
    """Whether the user may open the Django admin (configuration is for the admin role)."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_staff", False))
