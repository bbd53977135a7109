"""Every page and API operation, for every role and token scope, does what tests/security/access_matrix.py says.

The routes are read from the URL configuration and the served OpenAPI schema, so a new route without
a row in the table fails here instead of going unchecked."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.http.response import HttpResponseBase

from tests.security.access_matrix import ADMIN_SITE, OPERATIONS, ROUTES, Access
from tests.security.routes import UrlRoute, openapi_operations, route_path, url_routes
from tests.security.world import Who, World, build_world

ALL_ROUTES = url_routes()
ALL_OPERATIONS = openapi_operations()
OPERATION_PATHS = {path for _, path in ALL_OPERATIONS}
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Filled into the admin's own routes (object pages of object 1, an app's index, its catch-all).
ADMIN_PARAMETERS = {"object_id": "1", "id": "1", "content_type_id": "1", "app_label": "accounts", "url": "nowhere/"}
# Who the admin's many routes are checked against: nobody, and the least and most trusted other roles.
ADMIN_SITE_REFUSES = (Who.ANONYMOUS, Who.STAFF, Who.EXECUTIVE)

HOW_TO_ADD_A_ROW = (
    "Add a row for it to tests/security/access_matrix.py saying which roles and tokens may use each "
    "method (see the rules at the top of that file)."
)


def _is_api_operation(route: UrlRoute) -> bool:
    return route.name.startswith("api-") and route.openapi_path in OPERATION_PATHS


def _page_routes() -> list[UrlRoute]:
    return [route for route in ALL_ROUTES if not _is_api_operation(route)]


def _access_of(route: UrlRoute) -> Access | None:
    if route.name in ROUTES:
        return ROUTES[route.name]
    if route.name.startswith("admin:"):
        return ADMIN_SITE
    return None


def refused(response: HttpResponseBase, *, path: str = "") -> bool:
    """Whether the request was turned away: sent to a login page, 401, 403, 404 or 405."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        # The admin sends a non-admin's sign-out back to its index, which sends them to its login.
        admin_signout_refused = path == "/admin/logout/" and location == "/admin/"
        return location.startswith(("/login/?next=", "/admin/login/")) or admin_signout_refused
    return False


def _ask(world: World, who: Who, method: str, path: str, *, api: bool) -> HttpResponseBase:
    client = world.client(who)
    if api and method != "GET":
        return client.generic(method, path, data=b"{}", content_type="application/json")
    if method == "POST":
        return client.post(path, {})
    return client.generic(method, path)


def _mismatches(
    world: World, *, method: str, path: str, allowed: frozenset[Who], checked_for: tuple[Who, ...], api: bool
) -> list[str]:
    found = []
    for who in checked_for:
        response = _ask(world, who, method, path, api=api)
        if response.status_code >= 500:
            found.append(f"{who.value}: server error {response.status_code}")
        elif refused(response, path=path) and who in allowed:
            found.append(f"{who.value}: should be allowed, was refused ({response.status_code})")
        elif not refused(response, path=path) and who not in allowed:
            found.append(f"{who.value}: should be refused, was allowed ({response.status_code})")
    return found


# --- Every route has a row -------------------------------------------------------------------------------


def test_every_page_has_a_name_and_a_row_in_the_access_matrix():
    missing = [
        f"{route.name} (/{route.pattern})"
        for route in _page_routes()
        if _access_of(route) is None or (route.name.split(":")[-1] == "None" and not route.name.startswith("admin:"))
    ]
    assert not missing, f"routes nobody has said who may use: {', '.join(missing)}. {HOW_TO_ADD_A_ROW}"


def test_every_api_operation_has_a_row_in_the_access_matrix():
    missing = [f"{method} {path}" for method, path in ALL_OPERATIONS if (method, path) not in OPERATIONS]
    assert not missing, f"API operations nobody has said who may use: {', '.join(missing)}. {HOW_TO_ADD_A_ROW}"


def test_every_row_names_a_route_that_exists():
    names = {route.name for route in ALL_ROUTES}
    stale = [name for name in ROUTES if name not in names]
    stale += [f"{method} {path}" for method, path in OPERATIONS if (method, path) not in ALL_OPERATIONS]
    assert not stale, f"rows for routes that are gone (remove them): {', '.join(stale)}"


def test_the_served_openapi_schema_lists_the_operations_checked_here(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="reader", password="x" * 20))
    served = client.get("/api/v1/openapi.json").json()
    assert openapi_operations(served) == ALL_OPERATIONS


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_executives_are_read_only_on_every_page(name):
    access = ROUTES[name]
    writers = [method for method, who in access.methods().items() if method in WRITES and Who.EXECUTIVE in who]
    assert not writers or access.executive_may_write, f"{name}: executives may not {', '.join(writers)}"


@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=" ".join)
def test_executives_are_read_only_in_the_api(operation):
    access = OPERATIONS[operation]
    writers = [method for method, who in access.methods().items() if method in WRITES and Who.EXECUTIVE in who]
    assert not writers or access.executive_may_write, f"{operation}: executives may not {', '.join(writers)}"


# --- Each role gets exactly what its row says ----------------------------------------------------------


def _page_cases() -> list[tuple[str, str]]:
    return [
        (route.name, method)
        for route in _page_routes()
        if route.name in ROUTES
        for method in ROUTES[route.name].methods()
    ]


def _admin_site_routes() -> list[UrlRoute]:
    return [route for route in _page_routes() if route.name not in ROUTES and route.name.startswith("admin:")]


def _kwargs(access: Access, world: World) -> Mapping[str, object]:
    return access.kwargs(world) if access.kwargs else {}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), _page_cases())
def test_page_access_follows_the_matrix(name, method):
    world = build_world()
    route = next(route for route in ALL_ROUTES if route.name == name)
    access = ROUTES[name]
    path = route_path(route, dict(_kwargs(access, world)))
    found = _mismatches(
        world, method=method, path=path, allowed=access.methods()[method], checked_for=tuple(Who), api=False
    )
    assert not found, f"{method} {path}: " + "; ".join(found)


@pytest.mark.django_db
def test_the_admin_site_refuses_everyone_but_the_admin_role():
    # What the admin role itself may do on each admin page is the admin's per-model permissions
    # (the audit log and import runs are read-only even to admins); here: nobody else gets in.
    world = build_world()
    found = []
    for route in _admin_site_routes():
        path = route_path(route, ADMIN_PARAMETERS)
        found += [f"GET {path} " + problem for problem in _mismatches(
            world, method="GET", path=path, allowed=frozenset(), checked_for=ADMIN_SITE_REFUSES, api=False
        )]
    assert not found, "; ".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=" ".join)
def test_api_access_follows_the_matrix(operation):
    world = build_world()
    method, template = operation
    access = OPERATIONS[operation]
    path = template.format(**_kwargs(access, world))
    found = _mismatches(
        world, method=method, path=path, allowed=access.methods()[method], checked_for=tuple(Who), api=True
    )
    assert not found, f"{method} {path}: " + "; ".join(found)


# --- Staff see only what they work on ----------------------------------------------------------------------


def _stranger_cases() -> list[tuple[str, str]]:
    return [(name, method) for name, method in _page_cases() if ROUTES[name].stranger_kwargs is not None]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), _stranger_cases())
def test_staff_are_refused_what_they_do_not_work_on(name, method):
    world = build_world()
    route = next(route for route in ALL_ROUTES if route.name == name)
    access = ROUTES[name]
    assert access.stranger_kwargs is not None
    path = route_path(route, dict(access.stranger_kwargs(world)))
    allowed = access.methods()[method] - {Who.STAFF}
    found = _mismatches(world, method=method, path=path, allowed=allowed, checked_for=tuple(Who), api=False)
    assert not found, f"{method} {path}: " + "; ".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", [op for op in sorted(OPERATIONS) if OPERATIONS[op].stranger_kwargs],
                         ids=" ".join)
def test_staff_are_refused_api_requests_about_what_they_do_not_work_on(operation):
    world = build_world()
    method, template = operation
    access = OPERATIONS[operation]
    assert access.stranger_kwargs is not None
    path = template.format(**access.stranger_kwargs(world))
    allowed = access.methods()[method] - {Who.STAFF}
    found = _mismatches(world, method=method, path=path, allowed=allowed, checked_for=tuple(Who), api=True)
    assert not found, f"{method} {path}: " + "; ".join(found)
