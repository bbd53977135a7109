"""Who may call the API: a bearer token of the right scope, or a signed-in admin's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from membersuccess.accounts.models import Role
from membersuccess.api.models import ApiToken
from membersuccess.api.services import api_token_check


class TokenAuth(HttpBearer):
    """`Authorization: Bearer msm_...` with a token whose scope is one of `scopes`."""

    def __init__(self, *scopes: str) -> None:
        super().__init__()
        self.scopes = scopes

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_check(token)
        if found is None or found.scope not in self.scopes:
            return None
        return found


class RoleSession(SessionAuth):
    """A signed-in staff member whose role is one of `roles` (CSRF is checked for writes)."""

    def __init__(self, *roles: str) -> None:
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        profile = getattr(user, "staff_profile", None) if user else None
        if profile is None or profile.role not in self.roles:
            return None
        return user


INGEST_AUTH = [TokenAuth(ApiToken.Scope.INGEST), RoleSession(Role.ADMIN)]
