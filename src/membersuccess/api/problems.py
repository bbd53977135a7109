"""The error answers every operation may give, documented so the schema tells the whole truth.

Django Ninja answers a body it cannot parse with 400 and a request that does not fit the schema
with 422 before an operation runs; these schemas describe those answers as it sends them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Schema
from pydantic import BaseModel, Field


class Problem(Schema):
    detail: str


class InvalidField(Schema):
    type: str = Field(..., description="What kind of problem, e.g. `missing`, `int_parsing`.")
    loc: list[str | int] = Field(..., description="Where: e.g. `[\"body\", \"payload\", \"items\", 0, \"name\"]`.")
    msg: str = Field(..., description="The problem in words.")


class InvalidRequest(Schema):
    detail: list[InvalidField] = Field(..., description="Every part of the request that does not fit the schema.")


# Added to every operation's responses: a body that is not JSON (400) or does not fit the schema (422).
BODY_PROBLEMS: dict[int, type[Schema]] = {400: Problem, 422: InvalidRequest}
# For operations that take only query parameters: a parameter with a NUL character (400) or of the wrong type (422).
QUERY_PROBLEMS: dict[int, type[Schema]] = {400: Problem, 422: InvalidRequest}


def _first_nul(value: object, where: str) -> str | None:
    """Where the first NUL character is in a request's parsed values (a path like `payload.items.3.name`)."""
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_nul(key, where) or _first_nul(item, f"{where}.{key}")
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _first_nul(item, f"{where}.{index}")
            if found:
                return found
    return None


def refuse_nul_characters(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 400 for text with a NUL character anywhere in the parameters or body.

    PostgreSQL cannot store or even compare text holding NUL (SQLite can), so without this a NUL in a
    filter or a batch is a server error on PostgreSQL only; no real name, id or note contains one."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            where = _first_nul(value, name)
            if where:
                return JsonResponse({"detail": f"{where} contains a NUL character (\\u0000); remove it"}, status=400)
        return view(request, *args, **kwargs)

    return checked
