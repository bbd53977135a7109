"""Every page needs a signed-in user; the API authenticates on its own (tokens or session)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# The login page, static files, the admin's own login, the API (token auth) and the health check.
PUBLIC_PREFIXES = ("/login/", "/static/", "/admin/login/", "/api/", "/healthz")


class LoginRequiredMiddleware:
    """Send anyone not signed in to the login page, remembering where they were going."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
