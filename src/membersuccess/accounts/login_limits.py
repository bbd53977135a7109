"""Login rate limiting: too many failed sign-ins for one username from one address locks that pair for a while.

Failures are the audit log's `login_failed` entries, so the limit holds across processes and
restarts with no cache or other service to run."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from membersuccess.accounts.audit import OBJECT_ID_LENGTH, audit_record, client_address
from membersuccess.accounts.models import AuditEntry

LOGIN_FAILED = "login_failed"
LOGIN_LOCKED = "login_locked"
# Set on a request refused because its username and address are locked, so that refusal is not
# counted as one more failure (which would keep the pair locked for as long as someone keeps trying).
_LOCKED_FLAG = "_msm_login_locked"


class LoginLocked(Exception):
    """Too many failed sign-ins for this username from this address; the message says when to retry."""

    def __init__(self, *, seconds_left: int) -> None:
        minutes = max(1, math.ceil(seconds_left / 60))
        super().__init__(
            f"Too many failed sign-ins for this username from your address. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}, or ask an admin to reset your password."
        )
        self.seconds_left = seconds_left


def _username_key(username: str) -> str:
    return username.strip().lower()[:OBJECT_ID_LENGTH]


def login_lock_seconds_left(*, username: str, address: str) -> int:
    """Seconds until this username may try again from this address; 0 when it may now."""
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    now = timezone.now()
    failures = list(
        AuditEntry.objects.filter(
            action=LOGIN_FAILED, object_type="login", object_id=_username_key(username), at__gte=now - window
        )
        .filter(detail__ip=address)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(failures) < settings.LOGIN_FAILURE_LIMIT:
        return 0
    # Locked until the oldest of the last LIMIT failures leaves the window.
    return max(1, math.ceil((failures[-1] + window - now).total_seconds()))


def check_login_allowed(*, username: str, request: HttpRequest | None) -> None:
    """Raise LoginLocked (and record it) when this username is locked for the request's address."""
    if request is None or not username:
        return
    seconds_left = login_lock_seconds_left(username=username, address=client_address(request))
    if seconds_left:
        setattr(request, _LOCKED_FLAG, True)
        raise LoginLocked(seconds_left=seconds_left)


class RateLimitedModelBackend(ModelBackend):
    """The usual username and password check, refused while the username is locked for the address."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        try:
            check_login_allowed(username=username or "", request=request)
        except LoginLocked as exc:
            # PermissionDenied stops Django trying any other backend; the sign-in fails.
            raise PermissionDenied(str(exc)) from exc
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _record_login_failure(sender: object, credentials: dict[str, Any], request: HttpRequest | None = None,
                          **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    locked = bool(request is not None and getattr(request, _LOCKED_FLAG, False))
    audit_record(
        action=LOGIN_LOCKED if locked else LOGIN_FAILED,
        object_type="login",
        object_id=_username_key(username),
        detail={"username": username},
        request=request,
    )


@receiver(user_logged_in)
def _record_login(sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, object_type="user", object_id=user.pk, request=request)


@receiver(user_logged_out)
def _record_logout(sender: object, request: HttpRequest | None, user: AbstractBaseUser | None,
                   **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, object_type="user", object_id=user.pk, request=request)
