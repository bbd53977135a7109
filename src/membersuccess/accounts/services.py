"""Writes on staff accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from membersuccess.accounts.models import AuditEntry, Role, StaffProfile, Team


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    role: str,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> AbstractUser:
    """Create a staff user with a role; admins may also use the Django admin.

    The password must pass the configured validators (at least 12 characters, not a common or
    all-numeric one, not like the username); ValidationError lists what is wrong with it."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(Role.values)}")
    user_model = get_user_model()
    validate_password(password, user=user_model(username=username, first_name=first_name,
                                               last_name=last_name, email=email))
    user = user_model._default_manager.create_user(
        username=username, password=password, email=email, first_name=first_name, last_name=last_name
    )
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    StaffProfile.objects.create(user=user, role=role, team=team)
    AuditEntry.objects.create(action="user_created", object_type="user", object_id=str(user.pk), detail={"role": role})
    return user


def ensure_admin_user(*, username: str = "admin", password: str | None = None) -> tuple[str, str | None]:
    """Make sure an admin exists; returns the username and the new password (None if it existed)."""
    user_model = get_user_model()
    if user_model._default_manager.filter(staff_profile__role=Role.ADMIN).exists():
        existing = user_model._default_manager.filter(staff_profile__role=Role.ADMIN).first()
        return (existing.get_username() if existing else username), None
    chosen = password or secrets.token_urlsafe(12)
    staff_user_create(username=username, password=chosen, role=Role.ADMIN)
    return username, chosen
