"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.api.models import ApiToken

TOKEN_PREFIX = "msm_"
# Recording every use would write on every request; once a minute is enough to show activity.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, name: str, scope: str, created_by: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it and the secret key, which is not stored and cannot be shown again."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}; use one of {', '.join(ApiToken.Scope.values)}")
    if not name.strip():
        raise ValueError("a token needs a name saying which system uses it")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip(), scope=scope, key_hash=_hash(key), prefix=key[:12], created_by=created_by
    )
    AuditEntry.objects.create(
        actor=created_by, action="api_token_created", object_type="api_token", object_id=str(token.pk),
        detail={"name": token.name, "scope": scope},
    )
    return token, key


def api_token_check(key: str) -> ApiToken | None:
    """The live token with this key, or None."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_revoke(token: ApiToken, *, by: User | None = None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    AuditEntry.objects.create(actor=by, action="api_token_revoked", object_type="api_token", object_id=str(token.pk))
