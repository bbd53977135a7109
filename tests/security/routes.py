"""Every route the product serves, read from the URL configuration and the OpenAPI schema."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from membersuccess.api.router import api

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class UrlRoute:
    """A named URL pattern: `namespace:name` and its path as written in the URL configuration."""

    name: str
    pattern: str

    @property
    def openapi_path(self) -> str:
        """The path as the OpenAPI schema writes it: /api/v1/members/{external_id}."""
        return "/" + _CONVERTER.sub(r"{\1}", self.pattern.lstrip("^").rstrip("$"))

    @property
    def parameters(self) -> list[str]:
        named = re.findall(r"\(\?P<(\w+)>", self.pattern)
        return named + _CONVERTER.findall(self.pattern)


def url_routes() -> list[UrlRoute]:
    """Every URL pattern, named `namespace:name` (unnamed ones keep `None` in the name so they show up)."""
    found: list[UrlRoute] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            else:
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found.append(UrlRoute(name=name, pattern=prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found


def openapi_operations(schema: dict[str, object] | None = None) -> list[tuple[str, str]]:
    """(METHOD, path) for every operation in the schema the API serves."""
    document = schema if schema is not None else api.get_openapi_schema()
    paths = document["paths"]
    assert isinstance(paths, dict)
    return sorted(
        (method.upper(), path) for path, item in paths.items() for method in item if method in HTTP_METHODS
    )


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def route_path(route: UrlRoute, kwargs: dict[str, object]) -> str:
    """The route's path with its parameters filled in (works for unnamed and regex routes too)."""
    path = _CONVERTER.sub(lambda m: str(kwargs[m.group(1)]), route.pattern)
    path = _REGEX_GROUP.sub(lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")
