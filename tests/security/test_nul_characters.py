"""A NUL character in any filter of any page is an error message or an empty result, never a server error.

PostgreSQL cannot store or compare text holding NUL (SQLite can), so this test matters most in the
PostgreSQL run; the API has its own guard (test_api_nul_characters.py)."""

from __future__ import annotations

import pytest

from tests.security.access_matrix import ROUTES
from tests.security.routes import route_path, url_routes
from tests.security.world import Who, build_world

pytestmark = pytest.mark.django_db

# The query parameters the pages read: filters, sorting, paging and dates.
PARAMETERS = ("q", "segment", "status", "team", "sort", "channel", "band", "as_of", "window", "page", "period",
              "by", "kind", "journey", "outcome", "flag", "start", "end", "group")


def test_no_page_fails_on_a_nul_character_in_a_query_parameter():
    world = build_world()
    admin = world.client(Who.ADMIN)
    failures = []
    for route in url_routes():
        access = ROUTES.get(route.name)
        if access is None or access.get is None or Who.ADMIN not in access.get:
            continue
        path = route_path(route, dict(access.kwargs(world) if access.kwargs else {}))
        for name in PARAMETERS:
            status = admin.get(path, {name: "x\x00"}).status_code
            if status >= 500:
                failures.append(f"{path}?{name}=x%00: {status}")
    assert not failures, "; ".join(failures)
