"""The audit log: one function writes every entry, and sign-ins and sign-outs are recorded as they happen."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.http import HttpRequest

from membersuccess.accounts.models import AuditEntry

# object_id holds usernames and external ids; longer ones are cut, the detail keeps them whole.
OBJECT_ID_LENGTH = 64


def client_address(request: HttpRequest | None) -> str:
    """The address a request came from, as the server saw it (a proxy must pass the real one on)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    object_type: str = "",
    object_id: object = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Record who did what to which object; the request adds the address it came from."""
    who = actor if isinstance(actor, User) else None
    detail = dict(detail or {})
    address = client_address(request)
    if address:
        detail.setdefault("ip", address)
    return AuditEntry.objects.create(
        actor=who,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:OBJECT_ID_LENGTH],
        detail=detail,
    )
